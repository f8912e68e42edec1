/** @file `brrr predict PROJECT --input FILE`: check the request, then hand over to the engine. */
import { requireOption } from '../args';
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
      json: { type: 'boolean', description: 'Print the prediction (and any error) as one JSON line.' },
    },
    examples: ['brrr predict "Sample - MNIST MLP" --input digit.png', 'brrr predict my-model --input rows.csv --json'],
    json: true,
  },
  async ({ positionals: [projectArg = ''], options }, io) => {
    const input = await existingPath(io.cwd, requireOption(options.input, 'input', NAME), 'file');
    const project = await loadProjectArg(io.cwd, projectArg);
    return predictWithProject({ project, input, json: options.json === true }, io);
  },
);
