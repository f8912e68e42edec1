// @vitest-environment jsdom
/**
 * @file The dashboards in jsdom against an in-memory studio that can train: panels from the table,
 * diagnosis banners, throttled redraws, the run toolbar (train, pause, resume, stop), a failed run
 * resumed from its checkpoint, the run history and overlaying runs. uPlot is replaced by a recorder
 * (jsdom has no canvas); everything else is the real renderer code.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StudioApi } from '../../core/contract/studio';
import type { Project } from '../../core/project';
import { findTemplate, templateInfos } from '../../core/templates';
import { runEvent, type RunEvent } from '../../core/train/events';
import { App } from '../../renderer/app/App';
import { Dashboard } from '../../renderer/dashboards/Dashboard';
import { applyRunEvents } from '../../renderer/dashboards/eventTable';
import { createRunView } from '../../renderer/dashboards/runView';
import type { RunEventBatch, RunListing } from '../../renderer/runs/runsClient';
import { setRunsRedrawTimers, useRunsStore } from '../../renderer/runs/runsStore';
import { useDialogStore } from '../../renderer/state/dialogStore';
import { emptyHistory } from '../../renderer/state/history';
import { useNoticeStore } from '../../renderer/state/noticeStore';
import { useStudioStore } from '../../renderer/state/studioStore';
import { sampleEvents, shortRun } from './dashboardsSamples';
import { testAppInfo } from '../support/appInfo';

const plots = vi.hoisted(() => ({ created: 0, setData: 0, live: new Set<{ series: { label?: string }[] }>() }));
vi.mock('uplot', () => ({
  default: class FakePlot {
    series: { label?: string }[];
    constructor(options: { series: { label?: string }[] }, _data: unknown, el: HTMLElement) {
      this.series = options.series;
      plots.created++;
      plots.live.add(this);
      el.appendChild(document.createElement('div'));
    }
    setData(): void {
      plots.setData++;
    }
    setSize(): void {}
    destroy(): void {
      plots.live.delete(this);
    }
  },
}));


function trainingStudio() {
  let listener: ((batch: RunEventBatch) => void) | null = null;
  const logs = new Map<string, RunEvent[]>();
  const listings: RunListing[] = [];
  let nextRun = 1;
  const info = testAppInfo();
  const studio = {
    getAppInfo: vi.fn(async () => info),
    listTemplates: vi.fn(async () => templateInfos()),
    listRecentProjects: vi.fn(async () => []),
    listWorkspaceProjects: vi.fn(async () => []),
    createProject: vi.fn(async ({ template, name }: { template: string; name: string }) => ({ path: `/ws/${name.toLowerCase()}`, project: (findTemplate(template as 'neuron')?.build(name) ?? null) as Project })),
    openProject: vi.fn(async ({ path }: { path: string }) => ({ path, project: findTemplate('neuron')?.build('x') as Project })),
    saveProject: vi.fn(async ({ path }: { path: string }) => ({ path, savedAt: '2026-11-24T12:00:00.000Z' })),
    showOpenDialog: vi.fn(async () => ({ path: null })),
    showSaveDialog: vi.fn(async () => ({ path: null })),
    writeRecovery: vi.fn(async () => ({ writtenAt: '2026-11-24T12:00:00.000Z' })),
    readRecovery: vi.fn(async () => ({ recovery: null })),
    discardRecovery: vi.fn(async () => ({})),
    onMenuCommand: vi.fn(() => () => {}),
    startRun: vi.fn(async (_request: { path: string; backend?: string; epochs?: number; resume?: string | boolean }) => ({ runId: `run-20261124-12000${nextRun++}-abcd` })),
    pauseRun: vi.fn(async () => ({})),
    resumeRun: vi.fn(async () => ({})),
    stopRun: vi.fn(async () => ({})),
    listRuns: vi.fn(async () => listings),
    readRunEvents: vi.fn(async ({ runId }: { runId: string }) => ({ events: logs.get(runId) ?? [] })),
    onRunEvents: vi.fn((l: (batch: RunEventBatch) => void) => {
      listener = l;
      return () => {
        listener = null;
      };
    }),
  };
  const emit = (runId: string, events: RunEvent[], path = '/ws/tiny') => act(() => listener?.({ runId, path, events }));
  return { studio: studio as unknown as StudioApi & typeof studio, emit, logs, listings };
}

beforeEach(() => {
  useStudioStore.setState({ appInfo: null, startupError: null, document: null, activeNetworkId: null, saving: false, history: emptyHistory() });
  useNoticeStore.setState({ notices: [] });
  useDialogStore.setState({ current: null });
  useRunsStore.setState({ view: 'design', projectPath: null, runs: {}, listings: {}, order: [], activeRunId: null, compare: [], pending: null });
  plots.created = 0;
  plots.setData = 0;
});
afterEach(() => {
  cleanup();
  setRunsRedrawTimers(undefined);
});

async function openTinyProject(studio: StudioApi) {
  render(<App studio={studio} />);
  fireEvent.click(await screen.findByTestId('template-neuron'));
  fireEvent.change(screen.getByTestId('new-project-name'), { target: { value: 'Tiny' } });
  fireEvent.click(screen.getByTestId('create-project'));
  await screen.findByTestId('editor');
}

describe('Dashboard', () => {
  it('shows one panel per kind of data the run reported, and pins the diagnosis in plain words', async () => {
    const run = createRunView('r1');
    applyRunEvents(run, Object.values(sampleEvents));
    render(<Dashboard run={run} version={run.version} />);
    for (const id of ['loss', 'metrics', 'learningRate', 'throughput', 'gradientNorm', 'evaluation', 'confusion', 'predictions', 'decisionBoundary', 'samples', 'text', 'histograms', 'kfold']) {
      expect(screen.getByTestId(`panel-${id}`), id).toBeTruthy();
    }
    expect(screen.queryByTestId('panel-ganLosses')).toBeNull();
    expect(screen.queryByTestId('panel-regression')).toBeNull();
    const banner = screen.getByTestId('diagnosis-item');
    expect(banner.dataset.code).toBe('W_OVERFITTING');
    expect(banner.textContent).toContain('Overfitting');
    expect(banner.querySelector('.diagnosis__message')?.textContent).toBe('Validation loss rose.');
    expect(banner.textContent).toContain('Try: Add dropout.');
    expect(banner.textContent).toContain('at step 30');
    // Confusion matrix: rows true, columns predicted.
    expect(within(screen.getByTestId('confusion')).getByTitle('true 1, predicted 0: 2 (33.3% of 1)')).toBeTruthy();
    expect(screen.getByTestId('decision-line')).toBeTruthy();
    expect(screen.getByTestId('generated-text').textContent).toBe('Once upon a time');
    // Loss, accuracy, learning rate, throughput, gradient norm.
    await waitFor(() => expect(plots.created).toBe(5));
  });

  it('draws GAN losses and the predicted-against-true scatter when a run reports them', () => {
    const run = createRunView('gan');
    applyRunEvents(run, [
      runEvent('step', { step: 1, epoch: 1, loss: 1, learningRate: 2e-4, samplesPerSecond: 100, generatorLoss: 1.2, discriminatorLoss: 0.6 }),
      runEvent('predictions', { split: 'validation', epoch: 1, kind: 'regression', items: [{ predicted: 1, actual: 1.1 }, { predicted: 2, actual: 1.8, input: [1, 2, 3], inputShape: [3] }] }),
      runEvent('warning', { code: 'W_SOMETHING_NEW', message: 'Something new happened.' }),
    ]);
    render(<Dashboard run={run} version={run.version} />);
    expect(screen.getByTestId('panel-ganLosses')).toBeTruthy();
    expect(screen.getByTestId('regression-scatter').querySelectorAll('circle')).toHaveLength(2);
    expect(screen.getByTestId('diagnosis-item').textContent).toContain('Something new');
  });
});

describe('Train view against an in-memory studio', () => {
  it('trains, draws the loss live, pauses, resumes, stops, and keeps the run in the history', async () => {
    const { studio, emit } = trainingStudio();
    await openTinyProject(studio);
    fireEvent.change(screen.getByTestId('run-epochs'), { target: { value: '3' } });
    fireEvent.change(screen.getByTestId('run-backend'), { target: { value: 'cpu' } });
    fireEvent.click(screen.getByTestId('run-train'));
    await waitFor(() => expect(studio.startRun).toHaveBeenCalledWith({ path: '/ws/tiny', backend: 'cpu', epochs: 3 }));
    await screen.findByTestId('train-view');
    const runId = 'run-20261124-120001-abcd';

    const events = shortRun(runId, 3, 5);
    emit(runId, events.slice(0, 4));
    const chart = await screen.findByTestId('chart-loss');
    const points = () => Number(screen.getByTestId('chart-loss').dataset.points);
    await waitFor(() => expect(points()).toBe(3));
    emit(runId, events.slice(4, 10));
    await waitFor(() => expect(points()).toBeGreaterThan(3));
    expect(chart).toBeTruthy();
    expect(screen.getAllByTestId('run-status')[0]?.dataset.status).toBe('running');

    fireEvent.click(screen.getByTestId('run-pause'));
    await waitFor(() => expect(studio.pauseRun).toHaveBeenCalledWith({ runId }));
    await screen.findByTestId('run-resume');
    expect(screen.getAllByTestId('run-status')[0]?.dataset.status).toBe('paused');
    fireEvent.click(screen.getByTestId('run-resume'));
    await waitFor(() => expect(studio.resumeRun).toHaveBeenCalledWith({ runId }));
    await screen.findByTestId('run-pause');

    fireEvent.click(screen.getByTestId('run-stop'));
    await waitFor(() => expect(studio.stopRun).toHaveBeenCalledWith({ runId }));
    emit(runId, [runEvent('checkpoint', { step: 10, epoch: 2, path: 'c' }), runEvent('done', { status: 'stopped', step: 10, epochs: 2, seconds: 2, metrics: { loss: 0.5 }, resumable: true })]);
    await waitFor(() => expect(screen.getByTestId(`run-row-${runId}`).textContent).toContain('Stopped'));
    expect(screen.getByTestId(`run-row-${runId}`).textContent).toContain('loss 0.5');
    expect(screen.getByTestId('run-train')).toHaveProperty('disabled', false);
  });

  it('shows a failed run with its message and resumes it from its checkpoint', async () => {
    const { studio, emit } = trainingStudio();
    await openTinyProject(studio);
    fireEvent.click(screen.getByTestId('run-train'));
    const runId = 'run-20261124-120001-abcd';
    await waitFor(() => expect(studio.startRun).toHaveBeenCalled());
    emit(runId, [...shortRun(runId, 1, 3), runEvent('done', { status: 'failed', step: 3, epochs: 1, seconds: 1, metrics: {}, message: 'The loss became NaN at step 3 (node dense).', resumable: true })]);
    const outcome = await screen.findByTestId('run-outcome');
    expect(outcome.textContent).toContain('The run failed at step 3: The loss became NaN at step 3 (node dense).');
    fireEvent.click(screen.getByTestId('run-continue'));
    await waitFor(() => expect(studio.startRun).toHaveBeenLastCalledWith({ path: '/ws/tiny', backend: 'auto', resume: runId }));
  });

  it('lists past runs from the history and overlays the ticked ones with their settings diff', async () => {
    const { studio, logs, listings, emit } = trainingStudio();
    for (const [runId, seed] of [
      ['run-20261124-100000-aaaa', 1],
      ['run-20261124-110000-bbbb', 2],
    ] as const) {
      logs.set(runId, [...shortRun(runId, 2, 4, seed), runEvent('done', { status: 'completed', step: 8, epochs: 2, seconds: 4, metrics: { loss: seed / 10 } })]);
      listings.push({ runId, status: 'completed', startedAt: `2026-11-24T${seed === 1 ? '10' : '11'}:00:00.000Z`, recipe: 'supervised', backend: 'cpu', epochs: 2, seed, metrics: { loss: seed / 10 }, hasCheckpoint: true });
    }
    // A run whose log was cut short (the services were killed): the listing's status stands.
    logs.set('run-20261124-090000-cccc', shortRun('run-20261124-090000-cccc', 2, 4).slice(0, 5));
    listings.push({ runId: 'run-20261124-090000-cccc', status: 'failed', startedAt: '2026-11-24T09:00:00.000Z', hasCheckpoint: false });
    await openTinyProject(studio);
    fireEvent.click(screen.getByTestId('view-train'));
    const history = await screen.findByTestId('run-history');
    await waitFor(() => expect(within(history).getAllByRole('listitem')).toHaveLength(3));
    await waitFor(() => expect(within(screen.getByTestId('run-row-run-20261124-090000-cccc')).getByTestId('run-status').dataset.status).toBe('failed'));
    // Batches of another project's runs are not this history's.
    emit('run-20261124-130000-dddd', shortRun('run-20261124-130000-dddd', 1, 2), '/ws/another');
    expect(screen.queryByTestId('run-row-run-20261124-130000-dddd')).toBeNull();
    // Newest first.
    expect(within(history).getAllByRole('listitem')[0]?.dataset.run).toBe('run-20261124-110000-bbbb');
    await waitFor(() => expect(studio.readRunEvents).toHaveBeenCalledTimes(3));

    fireEvent.click(screen.getByTestId('run-compare-run-20261124-100000-aaaa'));
    expect(screen.queryByTestId('tab-compare')).toBeNull();
    fireEvent.click(screen.getByTestId('run-compare-run-20261124-110000-bbbb'));
    expect(useRunsStore.getState().compare).toEqual(['run-20261124-100000-aaaa', 'run-20261124-110000-bbbb']);
    fireEvent.click(screen.getByTestId('tab-compare'));
    await screen.findByTestId('compare');
    await waitFor(() => expect([...plots.live].some((p) => p.series.length === 3 && p.series[0]?.label === 'Step')).toBe(true));
    const overlay = [...plots.live].find((p) => p.series.length === 3 && p.series[0]?.label === 'Step');
    expect(overlay, 'a step-loss chart with one series per run').toBeTruthy();
    expect(Number(screen.getByTestId('compare-step-loss').dataset.points)).toBe(16);
    const diff = screen.getByTestId('settings-diff');
    expect(diff.textContent).toContain('seed');
    expect(diff.textContent).not.toContain('recipe');

    // A run started elsewhere (brrr train) appears on refresh.
    logs.set('run-20261124-140000-eeee', shortRun('run-20261124-140000-eeee', 1, 2));
    listings.push({ runId: 'run-20261124-140000-eeee', status: 'completed', startedAt: '2026-11-24T14:00:00.000Z' });
    fireEvent.click(screen.getByTestId('runs-refresh'));
    await waitFor(() => expect(within(history).getAllByRole('listitem')[0]?.dataset.run).toBe('run-20261124-140000-eeee'));

    // Unticking one leaves the overlay.
    fireEvent.click(screen.getByTestId('run-compare-run-20261124-100000-aaaa'));
    expect(screen.queryByTestId('compare')).toBeNull();
    expect(screen.getByTestId('dashboard')).toBeTruthy();
  });

  it('follows a live run through its log when the host does not push events', async () => {
    const { studio, logs } = trainingStudio();
    const { onRunEvents: _pushed, ...withoutPush } = studio;
    await openTinyProject(withoutPush as unknown as StudioApi);
    fireEvent.click(screen.getByTestId('run-train'));
    const runId = 'run-20261124-120001-abcd';
    await screen.findByTestId('train-view');
    expect(screen.getByText(/does not push run events/)).toBeTruthy();
    logs.set(runId, shortRun(runId, 3, 5).slice(0, 8));
    // Six step losses, then epoch 1's train and validation loss.
    await waitFor(() => expect(Number(screen.getByTestId('chart-loss').dataset.points)).toBe(8), { timeout: 4_000 });
    fireEvent.click(screen.getByTestId('run-pause'));
    await screen.findByTestId('run-resume');
    // A re-read log keeps the local pause.
    logs.set(runId, shortRun(runId, 3, 5).slice(0, 12));
    await waitFor(() => expect(Number(screen.getByTestId('chart-loss').dataset.points)).toBe(12), { timeout: 4_000 });
    expect(screen.getAllByTestId('run-status')[0]?.dataset.status).toBe('paused');
  });

  it('redraws at most about ten times a second however fast batches arrive', async () => {
    let now = 0;
    const pending: { at: number; run: () => void }[] = [];
    setRunsRedrawTimers({ now: () => now, setTimeout: (run, ms) => pending.push({ at: now + ms, run }), clearTimeout: () => {} });
    const { studio, emit } = trainingStudio();
    await openTinyProject(studio);
    fireEvent.click(screen.getByTestId('run-train'));
    const runId = 'run-20261124-120001-abcd';
    await waitFor(() => expect(studio.startRun).toHaveBeenCalled());
    const ticks = useRunsStore.getState().tick;
    const events = shortRun(runId, 10, 50);
    // 500 batches within one simulated second.
    for (let i = 0; i < 500; i++) {
      emit(runId, [events[i] as RunEvent]);
      now += 2;
      const due = pending.filter((t) => t.at <= now);
      pending.splice(0, pending.length, ...pending.filter((t) => t.at > now));
      for (const timer of due) act(() => timer.run());
    }
    now += 200;
    for (const timer of pending.splice(0)) act(() => timer.run());
    const redraws = useRunsStore.getState().tick - ticks;
    expect(redraws).toBeGreaterThanOrEqual(2);
    expect(redraws).toBeLessThanOrEqual(11);
    await waitFor(() => expect(Number(screen.getByTestId('chart-loss').dataset.points)).toBeGreaterThan(400));
  });
});
