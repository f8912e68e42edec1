/**
 * @file What the desktop app reads from its command line: `--project <path>` (or `--project=<path>`)
 * names a project to open at start, or, sent to a running instance, to open there. Pure, no `electron`.
 */
export function projectFromArgv(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--project') return argv[i + 1] ?? null;
    if (arg.startsWith('--project=')) return arg.slice('--project='.length) || null;
  }
  return null;
}
