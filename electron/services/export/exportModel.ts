/**
 * @file Export on disk, shared by `brrr export` and the studio's Export dialog:
 *   safetensors → `<out>` (the weights) + `<out without .safetensors>.project.json` (architecture and recipe)
 *   onnx        → `<out>` (the model, opset 17, symbolic batch)
 *   pytorch     → `<out>/` model.py, train.py, README.md, weights.safetensors, project.brrr.json,
 *                 data/<split>_<field>.npy (the project's dataset, when it can be loaded)
 * Every file is written atomically; metadata records the run, step, metrics and engine version.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { allocateField, encodeNpy, type Dataset } from '../../../core/data';
import { exportOnnx } from '../../../core/export/onnx/export';
import { exportPytorch } from '../../../core/export/pytorch';
import { encodeWeights } from '../../../core/export/weights';
import { serializeProject, type Project } from '../../../core/project';
import { atomicWrite } from '../atomicWrite';
import { loadProjectData } from '../runs/localRun';
import { resolveWeights, type WeightsRequest } from './trainedWeights';

export const EXPORT_FORMATS = ['safetensors', 'onnx', 'pytorch'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportModelRequest extends WeightsRequest {
  format: ExportFormat;
  /** A file (safetensors, onnx) or a folder (pytorch). */
  out: string;
}

export interface ExportModelResult {
  /** The file or folder written (what to show in the file manager). */
  path: string;
  files: string[];
  /** Where the weights came from, for people. */
  source: string;
  /** Things the person should know (the dataset could not be exported, ...). */
  notes: string[];
}

const projectSidecar = (out: string): string => `${out.replace(/\.safetensors$/i, '')}.project.json`;

/** One field of a dataset as a .npy array [size, ...shape]. */
function fieldNpy(dataset: Dataset, field: string): Uint8Array {
  const spec = dataset.fields[field];
  const indices = Int32Array.from({ length: dataset.size }, (_, i) => i);
  const data = allocateField(spec, dataset.size);
  dataset.gather(field, indices, data);
  return encodeNpy(data, [dataset.size, ...spec.shape]);
}

async function writeDataset(project: Project, projectDir: string, dir: string, fields: readonly string[]): Promise<{ files: string[]; notes: string[] }> {
  let splits;
  try {
    splits = await loadProjectData(project, projectDir);
  } catch (e) {
    return { files: [], notes: [`The dataset was not exported (${e instanceof Error ? e.message : String(e)}); put train_<field>.npy files in data/ yourself.`] };
  }
  await mkdir(join(dir, 'data'), { recursive: true });
  const files: string[] = [];
  for (const [split, dataset] of Object.entries({ train: splits.train, test: splits.test })) {
    if (!dataset) continue;
    for (const field of fields) {
      if (!dataset.fields[field]) return { files, notes: [`The dataset has no field "${field}" (it has ${Object.keys(dataset.fields).join(', ')}); data/ is incomplete.`] };
      const file = join(dir, 'data', `${split}_${field}.npy`);
      await atomicWrite(file, fieldNpy(dataset, field));
      files.push(file);
    }
  }
  return { files, notes: [] };
}

export async function exportModel(request: ExportModelRequest): Promise<ExportModelResult> {
  const trained = await resolveWeights(request);
  const { network, weights, provenance } = trained;
  switch (request.format) {
    case 'safetensors': {
      const sidecar = projectSidecar(request.out);
      await atomicWrite(request.out, encodeWeights(weights, provenance));
      await atomicWrite(sidecar, serializeProject(trained.project));
      return { path: request.out, files: [request.out, sidecar], source: trained.source, notes: [] };
    }
    case 'onnx': {
      const metadata: Record<string, string> = { 'brrr.project': provenance.project, 'brrr.network': network.id, 'brrr.engine': provenance.engineVersion };
      if (provenance.run) metadata['brrr.run'] = provenance.run;
      if (provenance.checkpoint) metadata['brrr.checkpoint'] = provenance.checkpoint;
      if (provenance.step !== undefined) metadata['brrr.step'] = String(provenance.step);
      if (provenance.metrics) metadata['brrr.metrics'] = JSON.stringify(provenance.metrics);
      await atomicWrite(request.out, exportOnnx(network, weights, { metadata, producerVersion: provenance.engineVersion }));
      return { path: request.out, files: [request.out], source: trained.source, notes: [] };
    }
    case 'pytorch': {
      const dir = request.out;
      await mkdir(dir, { recursive: true });
      const exported = exportPytorch(trained.project, provenance.engineVersion);
      const files: string[] = [];
      for (const [name, text] of Object.entries(exported.files)) {
        await atomicWrite(join(dir, name), text);
        files.push(join(dir, name));
      }
      await atomicWrite(join(dir, 'weights.safetensors'), encodeWeights(weights, provenance));
      await atomicWrite(join(dir, 'project.brrr.json'), serializeProject(trained.project));
      files.push(join(dir, 'weights.safetensors'), join(dir, 'project.brrr.json'));
      // The fields the generated train.py reads (a GAN's discriminator reads the images, not the noise).
      const data = await writeDataset(trained.project, request.projectDir, dir, exported.dataFields);
      return { path: dir, files: [...files, ...data.files], source: trained.source, notes: data.notes };
    }
    default:
      return request.format satisfies never;
  }
}
