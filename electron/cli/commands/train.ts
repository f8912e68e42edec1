/** @file `brrr train PROJECT`: check the options and the project, then hand over to the engine. */
import { resolve } from 'node:path';
import { nonNegativeInteger, oneOf, positiveInteger, seeHelp } from '../args';
import { defineCommand } from '../command';
import { BACKENDS, trainProject } from '../engine';
import { UsageError } from '../errors';
import { loadProjectArg } from '../projectArg';

const NAME = 'train';

export const trainCommand = defineCommand(
  {
    name: NAME,
    summary: "Train a project's network on its dataset, on this machine.",
    positionals: [{ name: 'PROJECT', description: 'A project folder (holding project.brrr.json) or a project file.' }],
    options: {
      epochs: { type: 'string', value: 'N', description: "Train for N epochs (default: the project's recipe)." },
      backend: { type: 'string', value: 'NAME', description: 'auto, cpu or webgpu (default: auto = WebGPU when a real adapter exists, else CPU).' },
      seed: { type: 'string', value: 'S', description: "Random seed, a whole number from 0 up (default: the project's)." },
      kfold: { type: 'string', value: 'K', description: 'k-fold cross-validation with K >= 2 folds.' },
      resume: { type: 'boolean', description: "Continue from the project's latest checkpoint." },
      weights: { type: 'string', value: 'FILE', description: 'Start from the weights in FILE (safetensors, e.g. from brrr export): fine-tuning. Every name and shape must fit.' },
      json: { type: 'boolean', description: 'Print one JSON event per line (progress, metrics, errors) instead of text.' },
      profile: { type: 'boolean', description: 'Time every kernel; print per kernel: time, share of the step, GFLOP/s, GB/s and regime.' },
    },
    examples: ['brrr train "Sample - MNIST MLP" --epochs 1 --backend cpu', 'brrr train my-model/project.brrr.json --kfold 5 --json'],
    json: true,
  },
  async ({ positionals: [projectArg = ''], options }, io) => {
    const backend = options.backend === undefined ? 'auto' : oneOf(options.backend, BACKENDS, 'backend', NAME);
    const epochs = options.epochs === undefined ? undefined : positiveInteger(options.epochs, 'epochs', NAME);
    const seed = options.seed === undefined ? undefined : nonNegativeInteger(options.seed, 'seed', NAME);
    const kfold = options.kfold === undefined ? undefined : positiveInteger(options.kfold, 'kfold', NAME);
    if (kfold !== undefined && kfold < 2) throw new UsageError(`--kfold needs at least 2 folds, not ${kfold}${seeHelp(NAME)}`);
    const project = await loadProjectArg(io.cwd, projectArg);
    return trainProject(
      {
        project,
        backend,
        resume: options.resume === true,
        ...(options.weights === undefined ? {} : { weights: resolve(io.cwd, options.weights) }),
        json: options.json === true,
        ...(options.profile === true ? { profile: true } : {}),
        ...(epochs === undefined ? {} : { epochs }),
        ...(seed === undefined ? {} : { seed }),
        ...(kfold === undefined ? {} : { kfold }),
      },
      io,
    );
  },
);
