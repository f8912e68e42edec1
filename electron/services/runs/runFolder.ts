/**
 * @file A run's folder, `<project>/runs/<runId>/`: `run.json` (its settings), `project.brrr.json`
 * (a copy of the project document it trained, so history shows what produced each curve),
 * `events.jsonl` (the event log) and `checkpoints/{last,best}.safetensors`. Checkpoints and the
 * settings are written atomically; the project's own file is never written here.
 */
import { appendFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseProject, serializeProject, type Project } from '../../../core/project';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../../core/train/checkpoint';
import type { RunEvent } from '../../../core/train/events';
import type { CheckpointSink } from '../../../core/train/supervised';
import { atomicWrite, isErrno } from '../atomicWrite';

export const RUNS_DIR = 'runs';
export const RUN_SETTINGS_FILE = 'run.json';
export const RUN_PROJECT_FILE = 'project.brrr.json';
export const EVENTS_FILE = 'events.jsonl';

/** What a run was asked to do (plain JSON in run.json). */
export interface RunSettings {
  runId: string;
  project: string;
  recipe: string;
  startedAt: string;
  backend: string;
  epochs: number;
  seed: number;
  kfold?: number;
  /** The run this one continued, when it was resumed into the same folder: how many times. */
  resumes: number;
}

export interface RunSummary extends RunSettings {
  /** The last status the log records: running (no `done` yet), completed, stopped or failed. */
  status: 'running' | 'completed' | 'stopped' | 'failed';
  step: number;
  metrics: Record<string, number>;
  hasCheckpoint: boolean;
}

export function runDir(projectDir: string, runId: string): string {
  return join(projectDir, RUNS_DIR, runId);
}

export function checkpointPath(dir: string, kind: 'last' | 'best'): string {
  return join(dir, 'checkpoints', `${kind}.safetensors`);
}

export async function prepareRunFolder(dir: string, settings: RunSettings, project: Project): Promise<void> {
  await mkdir(join(dir, 'checkpoints'), { recursive: true });
  await atomicWrite(join(dir, RUN_SETTINGS_FILE), `${JSON.stringify(settings, null, 2)}\n`);
  await atomicWrite(join(dir, RUN_PROJECT_FILE), serializeProject(project));
}

export function checkpointSink(dir: string): CheckpointSink {
  return {
    async save(checkpoint: Checkpoint, kind) {
      const target = checkpointPath(dir, kind);
      await atomicWrite(target, encodeCheckpoint(checkpoint));
      return target;
    },
  };
}

export async function readCheckpoint(dir: string, kind: 'last' | 'best' = 'last'): Promise<Checkpoint | undefined> {
  const file = checkpointPath(dir, kind);
  try {
    return decodeCheckpoint(new Uint8Array(await readFile(file)), file);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  }
}

export async function readRunSettings(dir: string): Promise<RunSettings | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, RUN_SETTINGS_FILE), 'utf8')) as RunSettings;
  } catch {
    return undefined;
  }
}

export async function readRunProject(dir: string): Promise<Project> {
  const file = join(dir, RUN_PROJECT_FILE);
  const parsed = parseProject(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.ok) throw new Error(`${file} is not a valid project document: ${parsed.diagnostics[0]?.message ?? 'invalid'}`);
  return parsed.project;
}

export async function appendEvents(dir: string, events: readonly RunEvent[]): Promise<void> {
  if (events.length > 0) await appendFile(join(dir, EVENTS_FILE), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

/** The run's logged events; a torn last line (a crash while appending) is skipped. */
export async function readEvents(dir: string): Promise<RunEvent[]> {
  let text: string;
  try {
    text = await readFile(join(dir, EVENTS_FILE), 'utf8');
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return [];
    throw e;
  }
  const out: RunEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as RunEvent);
    } catch {
      // a partial line left by a killed writer
    }
  }
  return out;
}

/** Every run of the project, newest first. */
export async function listRunSummaries(projectDir: string): Promise<RunSummary[]> {
  let names: string[];
  try {
    names = await readdir(join(projectDir, RUNS_DIR));
  } catch (e) {
    if (isErrno(e, 'ENOENT', 'ENOTDIR')) return [];
    throw e;
  }
  const out: RunSummary[] = [];
  for (const name of names) {
    const dir = join(projectDir, RUNS_DIR, name);
    const settings = await readRunSettings(dir);
    if (!settings) continue;
    const events = await readEvents(dir);
    const done = events.findLast((e): e is Extract<RunEvent, { type: 'done' }> => e.type === 'done');
    const lastStep = events.findLast((e) => 'step' in e && typeof e.step === 'number') as { step: number } | undefined;
    const hasCheckpoint = await stat(checkpointPath(dir, 'last')).then(
      () => true,
      () => false,
    );
    const resumedAfterDone = done !== undefined && events.lastIndexOf(done) < events.findLastIndex((e) => e.type === 'resumed');
    out.push({ ...settings, status: done && !resumedAfterDone ? done.status : 'running', step: done?.step ?? lastStep?.step ?? 0, metrics: done?.metrics ?? {}, hasCheckpoint });
  }
  return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
