/**
 * @file `brrr export` and `brrr predict` behind their argument checks: call the export services,
 * print what was written (or predicted) and where the weights came from; export problems (a
 * layer ONNX cannot express, weights that do not fit) become one clear line.
 */
import { ExportError } from '../../core/export/errors';
import { SafetensorsError } from '../../core/export/safetensors';
import { exportModel } from '../services/export/exportModel';
import { predict, type PredictResult } from '../services/export/predict';
import type { ExportRequest, PredictRequest } from './engine';
import { CliError } from './errors';
import type { CliIo } from './io';
import { studioVersion } from './paths';

async function clearly<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ExportError || e instanceof SafetensorsError) throw new CliError(e.message, { code: 'E_EXPORT' });
    if (e instanceof Error && e.name === 'TrainingSetupError') throw new CliError(e.message, { code: 'E_EXPORT' });
    if (e instanceof Error && e.name === 'DatasetError') throw new CliError(e.message, { code: 'E_INPUT' });
    throw e;
  }
}

export async function runExport(request: ExportRequest, io: CliIo): Promise<number> {
  const result = await clearly(() =>
    exportModel({
      projectDir: request.project.dir,
      project: request.project.project,
      format: request.format,
      out: request.out,
      run: request.run,
      checkpoint: request.checkpoint,
      weightsFile: request.weights,
      engineVersion: studioVersion(),
    }),
  );
  io.out(`Weights: ${result.source}.`);
  io.out(`Wrote ${request.format} to ${result.path}:`);
  for (const f of result.files) io.out(`  ${f}`);
  for (const note of result.notes) io.out(`Note: ${note}`);
  return 0;
}

function describe(result: PredictResult): string[] {
  return result.rows.map((row, i) => {
    const prefix = result.rows.length > 1 ? `${i + 1}: ` : '';
    if ('top' in row) return `${prefix}${row.top.map((t) => `class ${t.label} ${(100 * t.probability).toFixed(1)}%`).join(', ')}`;
    return `${prefix}${result.kind === 'binary' ? 'probability ' : ''}${row.values.map((v) => Number(v.toPrecision(6))).join(', ')}`;
  });
}

export async function runPredict(request: PredictRequest, io: CliIo): Promise<number> {
  const result = await clearly(() =>
    predict({
      projectDir: request.project.dir,
      project: request.project.project,
      input: request.input,
      run: request.run,
      checkpoint: request.checkpoint,
      engineVersion: studioVersion(),
    }),
  );
  if (request.json) {
    io.json({ type: 'prediction', ...result });
    return 0;
  }
  io.out(`Weights: ${result.source}.`);
  io.out(`${result.output} (${result.kind}):`);
  for (const line of describe(result)) io.out(`  ${line}`);
  return 0;
}
