/** @file `brrr predict PROJECT --input FILE`: check the request, then hand over to the engine. */
import { oneOf, requireOption } from '../args';
import { defineCommand } from '../command';
import { predictWithProject } from '../engine';
import { existingPath } from '../existingPath';
import { loadProjectArg } from '../projectArg';

const NAME = 'predict';

export const predictCommand = defineCommand(
  {
    name: NAME,
    summary: "Run a project's trained model on one input and print the prediction.",
    positionals: [{ name: 'PROJECT', description: 'A project folder (holding project.brrr.json) or a project file.' }],
    options: {
      input: { type: 'string', value: 'FILE', description: 'The input: an image, a CSV file or a .npy array shaped like the model input.' },
      run: { type: 'string', value: 'RUN', description: 'The run whose weights to use (default: the newest run with a checkpoint).' },
      checkpoint: { type: 'string', value: 'WHICH', description: 'last or best (default: best when the run has one, else last).' },
      json: { type: 'boolean', description: 'Print the prediction (and any error) as one JSON line.' },
    },
    examples: ['brrr predict "Sample - MNIST MLP" --input digit.png', 'brrr predict my-model --input rows.csv --json'],
    json: true,
  },
  async ({ positionals: [projectArg = ''], options }, io) => {
    const input = await existingPath(io.cwd, requireOption(options.input, 'input', NAME), 'file');
    const project = await loadProjectArg(io.cwd, projectArg);
    const checkpoint = options.checkpoint === undefined ? undefined : oneOf(options.checkpoint, ['last', 'best'] as const, 'checkpoint', NAME);
    return predictWithProject({ project, input, json: options.json === true, run: options.run, checkpoint }, io);
  },
);
