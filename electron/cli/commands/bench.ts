/** @file `brrr bench`: run the benchmark suite (ours against the peer, with the ratio). */
import { defineCommand } from '../command';
import { runBenchmarks } from '../engine';
import { UsageError } from '../errors';

export const benchCommand = defineCommand(
  {
    name: 'bench',
    summary: "Measure the engine's kernels and training steps against a peer on this machine.",
    positionals: [],
    options: {
      json: { type: 'boolean', description: 'Print one JSON line per benchmark case (and any error).' },
      quick: { type: 'boolean', description: 'A short run: fewer sizes, one round, shorter timings.' },
      only: { type: 'string', value: 'CASES', description: 'Only these cases, comma-separated: W1, W2, W3, W4, W5.' },
    },
    examples: ['brrr bench', 'brrr bench --quick', 'brrr bench --quick --only W4,W5', 'brrr bench --json > bench.jsonl'],
    json: true,
  },
  async ({ options }, io) => {
    const only = typeof options.only === 'string' ? options.only : undefined;
    const unknown = only?.split(',').map((x) => x.trim()).filter((x) => !/^W[1-5]$/i.test(x)) ?? [];
    if (unknown.length > 0) throw new UsageError(`bench --only: unknown case '${unknown.join("', '")}' (the cases are W1, W2, W3, W4, W5)`);
    return runBenchmarks({ json: options.json === true, quick: options.quick === true, ...(only === undefined ? {} : { only }) }, io);
  },
);
