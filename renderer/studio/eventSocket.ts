/**
 * @file The web-mode event channel: one WebSocket carrying `{"event": name, "payload": ...}`
 * messages, opened on the first subscription, reconnected with capped exponential backoff, every
 * payload parsed with its `studioEvents` schema before a listener sees it.
 */
import { studioEvents, type EventName, type EventOf, type Unsubscribe } from '../../core/contract/studio';

/** The slice of the WebSocket API the channel uses, so tests can hand in a fake. */
export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}
export type SocketFactory = (url: string) => SocketLike;

export interface EventSocket {
  subscribe<K extends EventName>(name: K, listener: (event: EventOf<K>) => void): Unsubscribe;
  close(): void;
}

export interface EventSocketOptions {
  url: string;
  openSocket?: SocketFactory;
  /** Backoff bounds in milliseconds: the first retry waits `minDelay`, each failure doubles it up to `maxDelay`. */
  minDelay?: number;
  maxDelay?: number;
}

type AnyListener = (event: unknown) => void;

export function createEventSocket(options: EventSocketOptions): EventSocket {
  const openSocket: SocketFactory = options.openSocket ?? ((url) => new WebSocket(url));
  const minDelay = options.minDelay ?? 500;
  const maxDelay = options.maxDelay ?? 10_000;
  const listeners = new Map<EventName, Set<AnyListener>>();
  let socket: SocketLike | null = null;
  let retryDelay = minDelay;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  function connect(): void {
    if (closed || socket) return;
    const current = openSocket(options.url);
    socket = current;
    current.onopen = () => {
      retryDelay = minDelay;
    };
    current.onmessage = (message) => dispatch(message.data);
    current.onerror = () => {
      /* onclose follows and schedules the retry */
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      if (closed) return;
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect();
      }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, maxDelay);
    };
  }

  function dispatch(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn('Ignored an event that is not JSON.');
      return;
    }
    if (typeof message !== 'object' || message === null || !('event' in message)) return;
    const name = (message as { event: unknown }).event;
    if (typeof name !== 'string' || !Object.hasOwn(studioEvents, name)) return;
    const eventName = name as EventName;
    const parsed = studioEvents[eventName].safeParse((message as { payload?: unknown }).payload);
    if (!parsed.success) {
      console.warn(`Ignored a malformed "${eventName}" event: ${parsed.error.issues[0]?.message ?? 'invalid payload'}`);
      return;
    }
    for (const listener of listeners.get(eventName) ?? []) listener(parsed.data);
  }

  return {
    subscribe(name, listener) {
      const set = listeners.get(name) ?? new Set<AnyListener>();
      listeners.set(name, set);
      const entry = listener as AnyListener;
      set.add(entry);
      connect();
      return () => {
        set.delete(entry);
      };
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const current = socket;
      socket = null;
      current?.close();
    },
  };
}
