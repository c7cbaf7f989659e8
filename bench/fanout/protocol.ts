/** What the fan-out benchmark's three processes (orchestrator, server, clients) share. */

/** The servers measured: Pulse's gateway and two bare `ws` baselines. */
export type ServerKind = 'pulse' | 'per-message' | 'coalesce-50ms';
export const SERVER_KINDS: readonly ServerKind[] = ['pulse', 'per-message', 'coalesce-50ms'];

/** The synthetic universe: SYM000 … SYM199 (valid tickers, unknown to the simulator on purpose). */
export function universe(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `SYM${String(i).padStart(3, '0')}`);
}

/** A small seeded PRNG (mulberry32), so every run subscribes the same clients to the same symbols. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `perClient` distinct symbols for each client, drawn with a fixed seed. */
export function subscriptions(clients: number, symbols: readonly string[], perClient: number): string[][] {
  const random = prng(20240312);
  return Array.from({ length: clients }, () => {
    const picked = new Set<string>();
    while (picked.size < perClient) picked.add(symbols[Math.floor(random() * symbols.length)] as string);
    return [...picked];
  });
}

/** One second of server-side observation during a step. */
export interface ServerSample {
  /** Seconds since the step started. */
  at: number;
  /** CPU of the server process over the last interval, as a fraction of one core. */
  cpu: number;
  rssMiB: number;
  /** Trades and control messages waiting in gateway queues (Pulse) or coalescing buffers. */
  queuedMessages: number;
  /** Bytes the `ws` sockets have not yet handed to the kernel (sum of bufferedAmount). */
  bufferedBytes: number;
  /** queuedMessages × mean message size + bufferedBytes: the backlog whose trend is judged. */
  backlogBytes: number;
  resyncs: number;
  /** p99 event-loop delay over the interval, ms. */
  loopDelayP99Ms: number;
}

/** Orchestrator → server. */
export type ServerCommand =
  | { type: 'step'; tradesPerSecond: number; quotesPerSecond: number; seconds: number }
  | { type: 'drain'; timeoutMs: number }
  | { type: 'exit' };

/** Server → orchestrator. */
export type ServerReport =
  | { type: 'listening'; port: number; path: string }
  | {
      type: 'feedStopped';
      elapsedSeconds: number;
      aborted: string | null;
      samples: ServerSample[];
      cpu: number;
      /** Share of the step's wall time the server spent in GC pauses. */
      gcFraction: number;
      peakRssMiB: number;
      tradesEmitted: number;
      quotesEmitted: number;
      /** Trades emitted per symbol since the server started (cumulative). */
      emittedBySymbol: Record<string, number>;
      /** Gateway counters for this step (Pulse only). */
      gateway: { framesSent: number; messagesSent: number; conflated: number; resyncs: number } | null;
    }
  | { type: 'drained'; drained: boolean; drainMs: number; backlogBytes: number };

/** Orchestrator → clients. */
export type ClientCommand =
  | { type: 'reset' }
  | { type: 'mark' }
  | { type: 'collect'; emittedBySymbol: Record<string, number>; timeoutMs: number }
  | { type: 'exit' };

/** Counters the client process keeps (all clients together). */
export interface ClientCounters {
  frames: number;
  messages: number;
  trades: number;
  quotes: number;
  resyncs: number;
}

/** Clients → orchestrator. */
export type ClientReport =
  | { type: 'ready'; clients: number; connectMs: number }
  | { type: 'reset' }
  | {
      type: 'marked';
      counters: ClientCounters;
      /** CPU of the clients process while the feed ran, as a fraction of one core. */
      cpu: number;
      /** The same CPU time in microseconds, to divide by the messages delivered. */
      cpuMicros: number;
    }
  | {
      type: 'collected';
      counters: ClientCounters;
      tradeLatency: { p50: number; p99: number; max: number; count: number };
      quoteLatency: { p50: number; p99: number; max: number; count: number };
      /** Trades of subscribed symbols emitted but never received, summed over clients. */
      missingTrades: number;
      /** Trades whose id did not follow the previous one of its symbol (gap, repeat or reorder). */
      sequenceBreaks: number;
      /** Messages the clients could not read, or of a symbol the receiving client does not follow. */
      malformed: number;
      clientsShort: number;
      closedClients: number;
    };
