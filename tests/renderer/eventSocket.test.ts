/** @file The web-mode event channel: lazy connection, schema-checked payloads, reconnection with backoff. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEventSocket, type SocketLike } from '../../renderer/studio/eventSocket';
import { takeLaunchToken } from '../../renderer/studio/launchToken';

class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  open(): void {
    this.onopen?.(new Event('open'));
  }
  send(data: unknown): void {
    this.onmessage?.({ data: JSON.stringify(data) } as MessageEvent);
  }
  drop(): void {
    this.onclose?.({} as CloseEvent);
  }
  close(): void {
    this.closed = true;
  }
}

describe('createEventSocket', () => {
  let sockets: FakeSocket[];
  const openSocket = (url: string): FakeSocket => {
    const socket = new FakeSocket(url);
    sockets.push(socket);
    return socket;
  };

  beforeEach(() => {
    sockets = [];
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects on the first subscription and delivers parsed payloads of the subscribed event', () => {
    const events = createEventSocket({ url: 'ws://127.0.0.1:1/events?token=t', openSocket });
    expect(sockets).toHaveLength(0);
    const listener = vi.fn();
    events.subscribe('menuCommand', listener);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]?.url).toBe('ws://127.0.0.1:1/events?token=t');
    sockets[0]?.open();
    sockets[0]?.send({ event: 'menuCommand', payload: { command: 'save' } });
    expect(listener).toHaveBeenCalledWith({ command: 'save' });
  });

  it('drops malformed messages, unknown events and payloads that fail their schema', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const events = createEventSocket({ url: 'ws://x/events', openSocket });
    const listener = vi.fn();
    events.subscribe('menuCommand', listener);
    const socket = sockets[0];
    socket?.onmessage?.({ data: 'not json' } as MessageEvent);
    socket?.send({ event: 'somethingElse', payload: {} });
    socket?.send({ event: 'menuCommand', payload: { command: 'format-disk' } });
    expect(listener).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('reconnects with doubling, capped delays and resets the delay once connected', () => {
    const events = createEventSocket({ url: 'ws://x/events', openSocket, minDelay: 100, maxDelay: 300 });
    events.subscribe('menuCommand', () => {});
    sockets[0]?.drop();
    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1]?.drop();
    vi.advanceTimersByTime(199);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    sockets[2]?.drop();
    vi.advanceTimersByTime(300); // capped at maxDelay
    expect(sockets).toHaveLength(4);
    sockets[3]?.open();
    sockets[3]?.drop();
    vi.advanceTimersByTime(100); // back to minDelay after a good connection
    expect(sockets).toHaveLength(5);
  });

  it('stops reconnecting once closed', () => {
    const events = createEventSocket({ url: 'ws://x/events', openSocket, minDelay: 100 });
    events.subscribe('menuCommand', () => {});
    events.close();
    expect(sockets[0]?.closed).toBe(true);
    sockets[0]?.drop();
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(1);
  });
});

describe('takeLaunchToken', () => {
  it('reads the token and removes only it from the address', () => {
    const replaceState = vi.fn();
    const token = takeLaunchToken({ search: '?token=abc123&project=x', pathname: '/', hash: '#top' } as Location, { state: null, replaceState } as unknown as History);
    expect(token).toBe('abc123');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/?project=x#top');
  });

  it('returns null and leaves the address alone when there is no token', () => {
    const replaceState = vi.fn();
    expect(takeLaunchToken({ search: '', pathname: '/', hash: '' } as Location, { state: null, replaceState } as unknown as History)).toBeNull();
    expect(replaceState).not.toHaveBeenCalled();
  });
});
