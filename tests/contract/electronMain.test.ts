/**
 * @file Electron main's wiring with a stand-in `electron` module: one IPC handler per request that
 * checks the sender before dispatching, the menu's commands, and the launch arguments.
 */
import os from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent, MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { MENU_COMMANDS, REQUEST_NAMES, type Reply } from '../../core/contract';
import { eventChannel, registerIpcHandlers, requestChannel } from '../../electron/main/ipc';
import { projectFromArgv } from '../../electron/main/launchArgs';
import { menuTemplate, type MenuCommand } from '../../electron/main/menu';
import { createStudioServices } from '../../electron/services/services';

type Handler = (event: IpcMainInvokeEvent, payload: unknown) => Promise<Reply<unknown>>;
const registered = vi.hoisted(() => new Map<string, unknown>());

vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, handler: unknown) => registered.set(channel, handler) },
  Menu: { buildFromTemplate: vi.fn(), setApplicationMenu: vi.fn() },
}));

function fakeEvent(url: string | undefined, options: { subframe?: boolean; id?: number } = {}): IpcMainInvokeEvent {
  const frame = url === undefined ? null : { url, parent: options.subframe ? {} : null };
  return { senderFrame: frame, sender: { id: options.id ?? 7 } } as unknown as IpcMainInvokeEvent;
}

describe('IPC handlers', () => {
  const tmp = path.join(os.tmpdir(), 'brrr-ipc-never-written');
  const handlers = createStudioServices({ host: 'test', workspaceDir: tmp, configDir: tmp, startupProject: null, version: '9.9.9' });
  const logged: string[] = [];
  registerIpcHandlers(handlers, { trustedWebContentsIds: new Set([7]), trustedOrigin: 'app://studio' }, (m) => logged.push(m));

  it('registers exactly one channel per request', () => {
    expect([...registered.keys()].sort()).toEqual(REQUEST_NAMES.map(requestChannel).sort());
    expect(eventChannel('menuCommand')).toBe('studio:event:menuCommand');
  });

  it('dispatches a trusted call', async () => {
    const handler = registered.get('studio:getAppInfo') as Handler;
    const reply = await handler(fakeEvent('app://studio/index.html'), {});
    expect(reply).toMatchObject({ ok: true, value: { version: '9.9.9' } });
  });

  it.each([
    ['a foreign page', fakeEvent('https://evil.example/')],
    ['a subframe', fakeEvent('app://studio/index.html', { subframe: true })],
    ['another webContents', fakeEvent('app://studio/index.html', { id: 8 })],
    ['a destroyed frame', fakeEvent(undefined)],
  ])('refuses %s with E_FORBIDDEN and logs it', async (_label, event) => {
    logged.length = 0;
    const handler = registered.get('studio:listRecentProjects') as Handler;
    expect(await handler(event, {})).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
    expect(logged.join('\n')).toContain('listRecentProjects');
  });

  it('still parses the payload of a trusted call', async () => {
    const handler = registered.get('studio:openProject') as Handler;
    expect(await handler(fakeEvent('app://studio/'), { path: 3 })).toMatchObject({ ok: false, error: { code: 'E_BAD_REQUEST' } });
  });
});

describe('application menu', () => {
  const sent: MenuCommand[] = [];
  const recentProjects = [{ path: '/p/one', name: 'One' }];

  function items(platform: NodeJS.Platform): MenuItemConstructorOptions[] {
    const flat: MenuItemConstructorOptions[] = [];
    const walk = (list: MenuItemConstructorOptions[]): void => {
      for (const item of list) {
        flat.push(item);
        if (Array.isArray(item.submenu)) walk(item.submenu);
      }
    };
    walk(menuTemplate({ appName: 'Brrr Studio', platform, recentProjects, send: (c) => sent.push(c) }));
    return flat;
  }

  it.each(['linux', 'darwin', 'win32'] as const)('on %s every studio command is reachable, Open Recent opens by path, and Quit exists', (platform) => {
    sent.length = 0;
    const all = items(platform);
    for (const item of all) if (item.click) (item.click as () => void)();
    expect(new Set(sent.map((c) => c.command))).toEqual(new Set(MENU_COMMANDS));
    expect(sent).toContainEqual({ command: 'open', path: '/p/one' });
    expect(all.some((item) => item.role === 'quit')).toBe(true);
    expect(all.find((item) => item.label === 'Open &Recent')).toBeDefined();
  });
});

describe('launch arguments', () => {
  it('reads --project in both spellings', () => {
    expect(projectFromArgv(['electron', '.', '--project', '/a b/p'])).toBe('/a b/p');
    expect(projectFromArgv(['electron', '.', '--project=/p'])).toBe('/p');
    expect(projectFromArgv(['electron', '.'])).toBeNull();
    expect(projectFromArgv(['electron', '--project'])).toBeNull();
  });
});
