/**
 * @file Who may call the studio over IPC: only the main frame of a window we created, showing a
 * page from the studio's own origin. Pure (no `electron` import) so tests can exercise it.
 */

export interface SenderInfo {
  /** The URL of the frame that sent the message; undefined when the frame is gone. */
  url: string | undefined;
  isMainFrame: boolean;
  webContentsId: number;
}

export interface SenderTrust {
  /** webContents ids of the windows the studio created. */
  trustedWebContentsIds: ReadonlySet<number>;
  /** `scheme://host` of the renderer, for example `app://studio`. */
  trustedOrigin: string;
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string };

export function checkSender(sender: SenderInfo, trust: SenderTrust): SenderVerdict {
  if (!trust.trustedWebContentsIds.has(sender.webContentsId)) return { ok: false, reason: `unknown webContents ${sender.webContentsId}` };
  if (!sender.isMainFrame) return { ok: false, reason: 'the message came from a subframe' };
  if (sender.url === undefined) return { ok: false, reason: 'the sending frame has no URL' };
  const origin = originOf(sender.url);
  if (origin === null || origin !== trust.trustedOrigin.toLowerCase()) return { ok: false, reason: `foreign origin ${origin ?? sender.url.slice(0, 100)}` };
  return { ok: true };
}

/**
 * `scheme://host[:port]`, lower case. Computed by hand because WHATWG `URL.origin` is "null" for
 * non-special schemes such as `app:`.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.username || parsed.password) return null;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}
