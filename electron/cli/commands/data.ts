/** @file `brrr data inspect PATH`: check the path, then hand over to the dataset readers. */
import { defineCommand, defineGroup } from '../command';
import { inspectData } from '../engine';
import { existingPath } from '../existingPath';

const inspectCommand = defineCommand(
  {
    name: 'data inspect',
    summary: 'Describe a dataset: its format, samples, fields and shapes, and any problem found.',
    positionals: [{ name: 'PATH', description: 'A dataset file (CSV, IDX, .npy, text) or a folder of images.' }],
    options: {
      json: { type: 'boolean', description: 'Print the description (and any error) as one JSON line.' },
    },
    examples: ['brrr data inspect ./sensors.csv', 'brrr data inspect ./photos --json'],
    json: true,
  },
  async ({ positionals: [pathArg = ''], options }, io) => {
    const path = await existingPath(io.cwd, pathArg, 'any');
    return inspectData({ path, json: options.json === true }, io);
  },
);

export const dataCommand = defineGroup({
  name: 'data',
  summary: 'Work with datasets.',
  subcommands: [inspectCommand],
  example: 'brrr data inspect ./sensors.csv',
});
