/**
 * @file The dataset handlers of the studio contract: describe a dataset of the open project
 * (kind, fields, classes, columns, problems) and preview a page of its samples. The last few
 * imports are kept so paging a preview does not decode the files again. Import errors become
 * one `E_DATASET` reply whose diagnostic carries the stable DatasetError code and the file.
 */
import { stat } from 'node:fs/promises';
import { allocateField, DatasetError } from '../../../core/data';
import { StudioError, type StudioHandlers } from '../../../core/contract';
import { loadDataset, resolveSource, type DatasetRefLike, type LoadedDataset } from './load';

type DatasetHandlers = Pick<StudioHandlers, 'describeDataset' | 'previewDataset'>;

/** At most this many values in one preview reply (a page of 64 RGB 64x64 images fits). */
const PREVIEW_VALUES = 1 << 20;

export function createDatasetService(): { handlers: DatasetHandlers } {
  const cache = new Map<string, Promise<LoadedDataset>>();

  async function load(projectDir: string, ref: DatasetRefLike, seed: number, validationSplit: number): Promise<LoadedDataset> {
    let modified = 0;
    if (!ref.source.startsWith('builtin:')) modified = await stat(resolveSource(ref.source, projectDir)).then((s) => s.mtimeMs, () => 0);
    const key = JSON.stringify([projectDir, ref.source, ref.kind, ref.options, seed, validationSplit, modified]);
    let pending = cache.get(key);
    if (!pending) {
      pending = loadDataset(ref, { projectDir, seed, validationSplit });
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
      while (cache.size > 3) cache.delete(cache.keys().next().value!);
    }
    try {
      return await pending;
    } catch (error) {
      if (error instanceof DatasetError) {
        throw new StudioError('E_DATASET', error.message, [{ code: error.code, severity: 'error', message: error.message, path: error.where.file }]);
      }
      throw error;
    }
  }

  const handlers: DatasetHandlers = {
    describeDataset: async ({ path, dataset, seed, validationSplit }) => ({ description: (await load(path, dataset, seed ?? 0, validationSplit ?? 0.1)).description }),
    previewDataset: async ({ path, dataset, seed, validationSplit, split, start, count }) => {
      const loaded = await load(path, dataset, seed ?? 0, validationSplit ?? 0.1);
      const data = split === 'test' ? loaded.test : loaded.train;
      if (!data) return { start, count: 0, fields: {} };
      const perSample = Object.values(data.fields).reduce((a, f) => a + f.shape.reduce((x, y) => x * y, 1), 0);
      const n = Math.max(0, Math.min(count, data.size - start, Math.floor(PREVIEW_VALUES / Math.max(1, perSample))));
      const indices = Int32Array.from({ length: n }, (_, i) => start + i);
      const fields: Record<string, number[]> = {};
      for (const [name, spec] of Object.entries(data.fields)) {
        const out = allocateField(spec, n);
        data.gather(name, indices, out);
        fields[name] = Array.from(out);
      }
      return { start, count: n, fields };
    },
  };
  return { handlers };
}
