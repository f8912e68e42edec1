/**
 * @file Every project in tests/fixtures/projects gives the diagnostics it names (code, and the
 * node, edge, port or fix where given) and no other error: table-driven from the files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeProject, type Diagnostic } from '../../core/model';

const dir = join(__dirname, '../fixtures/projects');

interface Expected {
  code: string;
  nodeId?: string;
  edgeId?: string;
  port?: string;
  fix?: Record<string, unknown>;
}

function expectationsOf(text: string): Expected[] {
  const comment = /^\/\/ expect: (.*)$/m.exec(text);
  if (comment) return comment[1].split(/\s*,\s*/).map((code) => ({ code }));
  return (JSON.parse(text) as { expect: Expected[] }).expect;
}

const matches = (d: Diagnostic, e: Expected): boolean =>
  d.code === e.code &&
  (e.nodeId === undefined || d.nodeId === e.nodeId) &&
  (e.edgeId === undefined || d.edgeId === e.edgeId) &&
  (e.port === undefined || d.port === e.port) &&
  (e.fix === undefined || (d.fix !== undefined && Object.entries(e.fix).every(([k, v]) => JSON.stringify((d.fix as Record<string, unknown>)[k]) === JSON.stringify(v))));

const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('project fixtures', () => {
  test('there are fixtures', () => expect(files.length).toBeGreaterThan(12));
  test.each(files)('%s', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const expected = expectationsOf(text);
    const { diagnostics } = analyzeProject(text);
    for (const e of expected) {
      expect(diagnostics.some((d) => matches(d, e)), `${file}: expected ${JSON.stringify(e)} in\n${JSON.stringify(diagnostics, null, 1)}`).toBe(true);
    }
    const codes = new Set(expected.map((e) => e.code));
    const unexpected = diagnostics.filter((d) => !codes.has(d.code));
    expect(unexpected, `${file}: unexpected diagnostics`).toEqual([]);
    for (const d of diagnostics) expect(d.message.length).toBeGreaterThan(10);
  });
});
