/**
 * @file The checks every web-mode request passes before anything else runs: the Host header
 * (against DNS rebinding), the Origin header (against cross-site requests) and the per-launch
 * token (query `token`, header `X-Brrr-Token` or cookie `brrr_token`), compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_QUERY_PARAM = 'token';
export const TOKEN_HEADER = 'x-brrr-token';
export const TOKEN_COOKIE = 'brrr_token';

/** 32 random bytes, base64url: a fresh token for every launch. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Equal-length digests make the comparison constant-time whatever the candidate's length. */
export function tokensEqual(expected: string, candidate: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(candidate, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export type Verdict = { ok: true; tokenFromQuery: boolean } | { ok: false; status: 401 | 403 };

export interface GuardConfig {
  port: number;
  token: string;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((host) => `http://${host}`);
}

/** Host, then Origin (when present), then the token. */
export function checkRequest(req: IncomingMessage, url: URL, config: GuardConfig): Verdict {
  const host = req.headers.host?.toLowerCase();
  if (!host || !allowedHosts(config.port).includes(host)) return { ok: false, status: 403 };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(config.port).includes(origin.toLowerCase())) return { ok: false, status: 403 };

  const fromQuery = url.searchParams.get(TOKEN_QUERY_PARAM);
  if (fromQuery !== null && tokensEqual(config.token, fromQuery)) return { ok: true, tokenFromQuery: true };
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && tokensEqual(config.token, header)) return { ok: true, tokenFromQuery: false };
  const cookie = readCookie(req.headers.cookie, TOKEN_COOKIE);
  if (cookie !== null && tokensEqual(config.token, cookie)) return { ok: true, tokenFromQuery: false };
  return { ok: false, status: 401 };
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
