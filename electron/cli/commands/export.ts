/** @file `brrr export PROJECT --format F --out PATH`: check the request, then hand over to the engine. */
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { oneOf, requireOption } from '../args';
import { defineCommand } from '../command';
import { EXPORT_FORMATS, exportProject } from '../engine';
import { CliError } from '../errors';
import { existingPath } from '../existingPath';
import { resolveFrom } from '../paths';
import { loadProjectArg } from '../projectArg';

const NAME = 'export';
const CHECKPOINTS = ['last', 'best'] as const;

export const exportCommand = defineCommand(
  {
    name: NAME,
    summary: 'Write the trained model out: weights, an ONNX model, or PyTorch code.',
    positionals: [{ name: 'PROJECT', description: 'A project folder (holding project.brrr.json) or a project file.' }],
    options: {
      format: { type: 'string', value: 'FORMAT', description: 'safetensors (weights), onnx (the model) or pytorch (a module and a training script).' },
      out: { type: 'string', value: 'PATH', description: 'The file to write (a folder for pytorch); its parent folder must exist.' },
      run: { type: 'string', value: 'RUN', description: 'The run whose weights to export (default: the newest run with a checkpoint).' },
      checkpoint: { type: 'string', value: 'WHICH', description: 'last or best (default: best when the run has one, else last).' },
      weights: { type: 'string', value: 'FILE', description: 'Export these safetensors weights instead of a run\'s (names and shapes are checked).' },
    },
    examples: ['brrr export "Sample - MNIST MLP" --format onnx --out mnist.onnx', 'brrr export my-model --format pytorch --out my-model-torch'],
    json: false,
  },
  async ({ positionals: [projectArg = ''], options }, io) => {
    const format = oneOf(requireOption(options.format, 'format', NAME), EXPORT_FORMATS, 'format', NAME);
    const out = resolveFrom(io.cwd, requireOption(options.out, 'out', NAME));
    const parent = await stat(dirname(out)).catch(() => undefined);
    if (!parent?.isDirectory()) throw new CliError(`cannot write ${out}: the folder ${dirname(out)} does not exist`, { code: 'E_NOT_FOUND' });
    const checkpoint = options.checkpoint === undefined ? undefined : oneOf(options.checkpoint, CHECKPOINTS, 'checkpoint', NAME);
    const weights = options.weights === undefined ? undefined : await existingPath(io.cwd, options.weights, 'file');
    const project = await loadProjectArg(io.cwd, projectArg);
    return exportProject({ project, format, out, run: options.run, checkpoint, weights }, io);
  },
);
