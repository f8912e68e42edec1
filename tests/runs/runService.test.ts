/** @file The run messages of the studio contract, handled by the services: start, events pushed as `runEvents`, pause/resume/stop, history and logged events, clear errors. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studioEvents, type EventOf, type StudioHandlers } from '../../core/contract';
import type { RunEvent } from '../../core/train/events';
import { dispatchRequest } from '../../electron/services/dispatch';
import { createStudioServices } from '../../electron/services/services';
import { engineHost } from './engineHost';

let root: string;
let studio: StudioHandlers;
const pushed: EventOf<'runEvents'>[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'brrr-run-service-'));
  studio = createStudioServices({
    host: 'test',
    workspaceDir: path.join(root, 'workspace'),
    configDir: path.join(root, 'config'),
    startupProject: null,
    version: '0.0.0-test',
    engineHost: await engineHost(),
    emit: (event, payload) => {
      expect(event).toBe('runEvents');
      expect(studioEvents.runEvents.safeParse(payload).success).toBe(true);
      pushed.push(payload as EventOf<'runEvents'>);
    },
  });
});
afterAll(() => rm(root, { recursive: true, force: true }));

function eventsOf(runId: string): RunEvent[] {
  return pushed.filter((b) => b.runId === runId).flatMap((b) => b.events as RunEvent[]);
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('run service', () => {
  it('starts a run of a saved project, streams its events, stops it, lists it and reads its log back', async () => {
    const { path: projectPath } = await studio.createProject({ template: 'neuron', name: 'Neuron run' });
    const { runId } = await studio.startRun({ path: projectPath, backend: 'cpu' });
    await studio.pauseRun({ runId });
    await studio.resumeRun({ runId });
    await studio.stopRun({ runId });
    await until(() => eventsOf(runId).some((e) => e.type === 'done'));
    const events = eventsOf(runId);
    expect(events[0]).toMatchObject({ type: 'start', runId, recipe: 'supervised' });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'stopped', resumable: true });
    expect(pushed.every((b) => b.path === projectPath)).toBe(true);

    const runs = await studio.listRuns({ path: projectPath });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ runId, project: 'Neuron run', recipe: 'supervised', status: 'stopped', hasCheckpoint: true, resumes: 0 });
    const { events: logged } = await studio.readRunEvents({ path: projectPath, runId });
    expect(logged[0]).toMatchObject({ type: 'start' });
    expect(logged.at(-1)).toMatchObject({ type: 'done', status: 'stopped' });

    const resumed = await studio.startRun({ path: projectPath, backend: 'cpu', epochs: 1, resume: true });
    expect(resumed.runId).toBe(runId);
    await until(() => eventsOf(runId).filter((e) => e.type === 'done').length === 2);
    expect(eventsOf(runId).at(-1)).toMatchObject({ type: 'done', status: 'completed' });
    expect((await studio.listRuns({ path: projectPath }))[0]).toMatchObject({ status: 'completed', resumes: 1 });
  });

  it('answers unknown runs and missing projects with clear errors, and bad payloads with E_BAD_REQUEST', async () => {
    const stop = await dispatchRequest(studio, 'stopRun', { runId: 'no-such-run' });
    expect(stop).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
    const { path: projectPath } = await studio.createProject({ template: 'neuron', name: 'Empty history' });
    expect(await studio.listRuns({ path: projectPath })).toEqual([]);
    expect(await dispatchRequest(studio, 'readRunEvents', { path: projectPath, runId: 'nope' })).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
    expect(await dispatchRequest(studio, 'startRun', { path: projectPath, resume: true })).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND', message: expect.stringMatching(/can be resumed/) } });
    expect(await dispatchRequest(studio, 'startRun', { path: projectPath, epochs: -1 })).toMatchObject({ ok: false, error: { code: 'E_BAD_REQUEST' } });
  });
});
