/** @file Fresh, readable ids for nodes, edges, groups and networks: `conv2d`, `conv2d_2`, `e7`. */

/** `base`, or `base_2`, `base_3`… whichever is not taken. */
export function freshId(base: string, taken: ReadonlySet<string>): string {
  const stem = base.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'node';
  if (!taken.has(stem)) return stem;
  for (let i = 2; ; i++) if (!taken.has(`${stem}_${i}`)) return `${stem}_${i}`;
}

/** `e1`, `e2`…: the first number above every `e<n>` in use. */
export function freshEdgeId(taken: ReadonlySet<string>): string {
  let max = 0;
  for (const id of taken) {
    const m = /^e(\d+)$/.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  let n = max + 1;
  while (taken.has(`e${n}`)) n++;
  return `e${n}`;
}
