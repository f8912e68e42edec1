/**
 * @file The one studio client the app talks to: Electron's preload (`window.studio`) when it is
 * there, otherwise the web client authenticated by the launch token. Both are the same `StudioApi`.
 */
import { StudioError, type StudioApi } from '../../core/contract/studio';
import { takeLaunchToken } from './launchToken';
import { createWebClient } from './webClient';

function resolveStudio(): StudioApi {
  if (window.studio) return window.studio;
  const token = takeLaunchToken(window.location, window.history);
  if (token) return createWebClient({ origin: window.location.origin, token });
  // Reloaded page: `brrr serve` set a same-site cookie when the tokened link was first opened.
  if (window.location.protocol === 'http:' || window.location.protocol === 'https:') return createWebClient({ origin: window.location.origin, token: '' });
  return unconnectedStudio();
}

/** Without a preload or a token every request fails with a message saying how to open the studio. */
function unconnectedStudio(): StudioApi {
  const refuse = (): Promise<never> =>
    Promise.reject(new StudioError('E_FORBIDDEN', 'This page is not connected to a studio. Open the link that `brrr serve` printed (it carries the access token), or start the desktop app.'));
  return {
    getAppInfo: refuse,
    listTemplates: refuse,
    listRecentProjects: refuse,
    listWorkspaceProjects: refuse,
    createProject: refuse,
    openProject: refuse,
    saveProject: refuse,
    showOpenDialog: refuse,
    showSaveDialog: refuse,
    writeRecovery: refuse,
    readRecovery: refuse,
    discardRecovery: refuse,
    startRun: refuse,
    pauseRun: refuse,
    resumeRun: refuse,
    stopRun: refuse,
    listRuns: refuse,
    readRunEvents: refuse,
    describeDataset: refuse,
    previewDataset: refuse,
    exportProject: refuse,
    onMenuCommand: () => () => {},
    onRunEvents: () => () => {},
  } satisfies StudioApi;
}

export const studio: StudioApi = resolveStudio();
