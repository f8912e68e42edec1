/** @file `brrr bench`: run the benchmark suite (ours against the peer, with the ratio). */
import { defineCommand } from '../command';
import { runBenchmarks } from '../engine';

export const benchCommand = defineCommand(
  {
    name: 'bench',
    summary: "Measure the engine's kernels and training steps against a peer on this machine.",
    positionals: [],
    options: {
      json: { type: 'boolean', description: 'Print one JSON line per benchmark case (and any error).' },
      quick: { type: 'boolean', description: 'A short run: fewer sizes, one round, shorter timings.' },
    },
    examples: ['brrr bench', 'brrr bench --quick', 'brrr bench --json > bench.jsonl'],
    json: true,
  },
  async ({ options }, io) => runBenchmarks({ json: options.json === true, quick: options.quick === true }, io),
);
