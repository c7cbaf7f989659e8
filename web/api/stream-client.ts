import type { ClientMessage, ServerMessage } from '../../contracts/stream.js';

/** The slice of the browser WebSocket the stream client uses, so tests can pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Connection state as the UI shows it. */
export type StreamStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Channels of a subscription. */
export interface StreamChannels {
  trades?: readonly string[];
  quotes?: readonly string[];
  bars?: readonly string[];
}

/** Options for {@link createStreamClient}; everything but `url` has a browser default. */
export interface StreamClientOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  minDelayMs?: number;
  maxDelayMs?: number;
  pingIntervalMs?: number;
}

/** A self-healing connection to /api/v1/stream with reference-counted subscriptions. */
export interface StreamClient {
  /** Subscribes (opening the socket if needed); returns the matching unsubscribe. */
  subscribe(channels: StreamChannels): () => void;
  /** Adds a listener for every server message; returns its remover. */
  onMessage(listener: (message: ServerMessage) => void): () => void;
  /**
   * Adds a listener for "the live data had a gap": the connection came back after a drop, or the
   * server sent `resync` (this client fell behind). Backfill history from the last bar you have.
   */
  onResume(listener: (reason: 'reconnect' | 'resync') => void): () => void;
  /** Adds a listener for status changes; returns its remover. */
  onStatus(listener: (status: StreamStatus) => void): () => void;
  status(): StreamStatus;
  /** Disconnects and stops reconnecting; a later `subscribe` connects again. */
  close(): void;
}

type Channel = 'trades' | 'quotes' | 'bars';
const channels: readonly Channel[] = ['trades', 'quotes', 'bars'];
const OPEN = 1;

/** The WebSocket URL of the stream on this page's origin (ws: or wss: to match the page). */
export function streamUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/v1/stream`;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential from `min` to `max`, with
 * "equal jitter" (a random point in the upper half) so clients that dropped together spread out.
 */
export function backoffDelay(attempt: number, random: () => number, min = 500, max = 30_000): number {
  const ceiling = Math.min(max, min * 2 ** attempt);
  return Math.max(min, ceiling / 2 + random() * (ceiling / 2));
}

function parseFrame(data: unknown): ServerMessage[] {
  if (typeof data !== 'string') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return [];
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.filter(
    (m): m is ServerMessage =>
      typeof m === 'object' && m !== null && typeof (m as { T?: unknown }).T === 'string',
  );
}

/** Creates a stream client; it connects on the first subscription. */
export function createStreamClient(options: StreamClientOptions): StreamClient {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  const random = options.random ?? Math.random;
  const minDelay = options.minDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const pingEvery = options.pingIntervalMs ?? 20_000;

  const counts: Record<Channel, Map<string, number>> = {
    trades: new Map(),
    quotes: new Map(),
    bars: new Map(),
  };
  const messageListeners = new Set<(message: ServerMessage) => void>();
  const statusListeners = new Set<(status: StreamStatus) => void>();
  const resumeListeners = new Set<(reason: 'reconnect' | 'resync') => void>();
  let everOpened = false;
  let socket: SocketLike | null = null;
  let state: StreamStatus = 'idle';
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let pingId = 0;
  let lastHeard = 0;
  let stopped = false;

  const setStatus = (next: StreamStatus): void => {
    if (next === state) return;
    state = next;
    for (const listener of statusListeners) listener(next);
  };

  const send = (message: ClientMessage): void => {
    if (socket?.readyState === OPEN) socket.send(JSON.stringify(message));
  };

  const current = (): Record<Channel, string[]> => ({
    trades: [...counts.trades.keys()],
    quotes: [...counts.quotes.keys()],
    bars: [...counts.bars.keys()],
  });
  const hasSubscriptions = (): boolean => channels.some((c) => counts[c].size > 0);

  const detach = (): void => {
    clearInterval(pingTimer);
    pingTimer = undefined;
    if (socket === null) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    socket = null;
  };

  const scheduleReconnect = (): void => {
    detach();
    if (stopped) return;
    setStatus('reconnecting');
    const delay = backoffDelay(attempt, random, minDelay, maxDelay);
    attempt += 1;
    retryTimer = setTimeout(connect, delay);
  };

  function connect(): void {
    retryTimer = undefined;
    if (stopped || socket !== null) return;
    if (state !== 'reconnecting') setStatus('connecting');
    const ws = createSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      lastHeard = Date.now();
      if (hasSubscriptions()) send({ action: 'subscribe', ...current() });
      pingTimer = setInterval(() => {
        // A socket that has heard nothing, not even a pong, for two ping periods is dead.
        if (Date.now() - lastHeard > pingEvery * 2 + 5_000) {
          ws.close(4000, 'no pong');
          scheduleReconnect();
          return;
        }
        pingId += 1;
        send({ action: 'ping', id: pingId });
      }, pingEvery);
    };
    ws.onmessage = (event) => {
      lastHeard = Date.now();
      for (const message of parseFrame(event.data)) {
        if (message.T === 'success' && message.msg === 'connected') {
          // Only a server that actually talks to us resets the backoff.
          attempt = 0;
          setStatus('open');
        }
        for (const listener of messageListeners) listener(message);
        if (message.T === 'success' && message.msg === 'connected') {
          if (everOpened) for (const listener of resumeListeners) listener('reconnect');
          everOpened = true;
        } else if (message.T === 'resync') {
          // The server dropped what it could not deliver; ask again for everything we follow.
          if (hasSubscriptions()) send({ action: 'subscribe', ...current() });
          for (const listener of resumeListeners) listener('resync');
        }
      }
    };
    ws.onerror = () => {
      // The close event follows and drives the reconnect.
    };
    ws.onclose = () => scheduleReconnect();
  }

  const change = (action: 'subscribe' | 'unsubscribe', delta: StreamChannels): void => {
    const message = { action, trades: [] as string[], quotes: [] as string[], bars: [] as string[] };
    for (const channel of channels) {
      for (const symbol of delta[channel] ?? []) {
        const count = counts[channel].get(symbol) ?? 0;
        const next = count + (action === 'subscribe' ? 1 : -1);
        if (next <= 0) counts[channel].delete(symbol);
        else counts[channel].set(symbol, next);
        // Only the first subscriber and the last unsubscriber change the server side.
        if ((action === 'subscribe' && count === 0) || (action === 'unsubscribe' && next === 0)) {
          message[channel].push(symbol);
        }
      }
    }
    if (channels.some((c) => message[c].length > 0)) send(message);
  };

  return {
    subscribe(delta) {
      stopped = false;
      change('subscribe', delta);
      if (socket === null && retryTimer === undefined) connect();
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        change('unsubscribe', delta);
      };
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onResume(listener) {
      resumeListeners.add(listener);
      return () => resumeListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    status: () => state,
    close() {
      stopped = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      const ws = socket;
      detach();
      ws?.close(1000, 'client closed');
      setStatus('closed');
    },
  };
}
