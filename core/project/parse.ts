/**
 * @file Reading a project document: JSON text or an unknown value in, a migrated, schema-checked
 * Project or diagnostics out. Never throws on bad input.
 */
import { z } from 'zod';
import { error, type Diagnostic } from '../model/diagnostics';
import { PROJECT_FORMAT, PROJECT_VERSION, ProjectSchema, type Project } from './schema';

export type ParseResult = { ok: true; project: Project; migratedFrom?: number } | { ok: false; diagnostics: Diagnostic[] };

/** One step per historical version: `migrations[v]` turns a version-v document into version v+1. */
const migrations: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

export function parseProjectText(text: string, fileName = 'project'): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, diagnostics: [error('E_PROJECT_JSON', `${fileName} is not valid JSON: ${detail}`)] };
  }
  return parseProject(value);
}

export function parseProject(value: unknown): ParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, diagnostics: [error('E_PROJECT_SCHEMA', 'A project file must hold a JSON object.')] };
  }
  let doc = value as Record<string, unknown>;
  if (doc.format !== PROJECT_FORMAT) {
    return { ok: false, diagnostics: [error('E_PROJECT_SCHEMA', `Not a Brrr Studio project: "format" must be "${PROJECT_FORMAT}".`, { path: 'format' })] };
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, diagnostics: [error('E_PROJECT_VERSION', '"version" must be a whole number from 1 up.', { path: 'version' })] };
  }
  if (version > PROJECT_VERSION) {
    return {
      ok: false,
      diagnostics: [error('E_PROJECT_TOO_NEW', `This project was saved by a newer Brrr Studio (format version ${version}); this one reads up to version ${PROJECT_VERSION}. Update the studio to open it.`, { path: 'version' })],
    };
  }
  for (let v = version; v < PROJECT_VERSION; v++) {
    const migrate = migrations[v];
    if (!migrate) return { ok: false, diagnostics: [error('E_PROJECT_VERSION', `No migration from project version ${v}.`, { path: 'version' })] };
    doc = { ...migrate(doc), version: v + 1 };
  }
  const parsed = ProjectSchema.safeParse(doc);
  if (!parsed.success) return { ok: false, diagnostics: parsed.error.issues.map(issueToDiagnostic) };
  return version === PROJECT_VERSION ? { ok: true, project: parsed.data } : { ok: true, project: parsed.data, migratedFrom: version };
}

export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function issueToDiagnostic(issue: z.core.$ZodIssue): Diagnostic {
  const path = formatJsonPath(issue.path);
  return error('E_PROJECT_SCHEMA', path ? `${path}: ${issue.message}` : issue.message, { path });
}

/** The canonical text of a project on disk: stable key order as built, two-space indent, final newline. */
export function serializeProject(project: Project): string {
  return `${JSON.stringify(project, null, 2)}\n`;
}
