/**
 * @file IPC wiring: one `ipcMain.handle('studio:' + name)` per request of the contract. Each call
 * checks its sender first (senderPolicy), then goes through `dispatchRequest` like web mode does.
 * Events go out on `'studio:event:' + eventName`.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { REQUEST_NAMES, type EventName, type EventOf, type Reply, type StudioHandlers } from '../../core/contract';
import { dispatchRequest } from '../services/dispatch';
import { checkSender, type SenderInfo, type SenderTrust } from './senderPolicy';

export const requestChannel = (name: string): string => `studio:${name}`;
export const eventChannel = (name: EventName): string => `studio:event:${name}`;

export function registerIpcHandlers(handlers: StudioHandlers, trust: SenderTrust, log: (message: string) => void): void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(requestChannel(name), async (event: IpcMainInvokeEvent, payload: unknown): Promise<Reply<unknown>> => {
      const verdict = checkSender(senderInfo(event), trust);
      if (!verdict.ok) {
        log(`[brrr] refused ${name} from an untrusted sender: ${verdict.reason}`);
        return { ok: false, error: { code: 'E_FORBIDDEN', message: `${name} is not allowed from this page.` } };
      }
      return dispatchRequest(handlers, name, payload, { log });
    });
  }
}

function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  // A frame that navigated away or was destroyed is reported without a URL, and so refused.
  let url: string | undefined;
  let isMainFrame = false;
  try {
    url = frame?.url;
    isMainFrame = frame !== null && frame.parent === null;
  } catch {
    url = undefined;
  }
  return { url, isMainFrame, webContentsId: event.sender.id };
}

export function sendEvent<K extends EventName>(contents: WebContents, event: K, payload: EventOf<K>): void {
  if (!contents.isDestroyed()) contents.send(eventChannel(event), payload);
}
