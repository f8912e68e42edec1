/** @file The app info an in-memory test studio reports: a web-like host with no native dialogs or menu. */
import type { ResponseOf } from '../../core/contract/studio';

export type AppInfo = ResponseOf<'getAppInfo'>;

export function testAppInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return {
    name: 'Brrr Studio',
    version: '0.1.0',
    contractVersion: 1,
    host: 'test',
    platform: 'linux',
    capabilities: { nativeDialogs: false, nativeMenu: false },
    workspaceDir: '/ws',
    startupProject: null,
    ...overrides,
  };
}
