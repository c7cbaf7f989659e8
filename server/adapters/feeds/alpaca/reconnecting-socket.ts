import WebSocket from 'ws';
import { type BackoffOptions, backoffDelay } from './backoff.js';

/** Where and how an Alpaca stream connects, pings and reconnects. */
export interface ReconnectingSocketOptions {
  url: string;
  /** The WebSocket handshake must complete within this (default 15 000 ms). */
  connectTimeoutMs?: number;
  /** Ping interval; a socket silent for two intervals is dropped (default 10 000 ms). */
  heartbeatMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
}

/** The protocol on top: what to send on open, what to do with frames, and when a connection ended. */
export interface SocketProtocol {
  /** Before each connection attempt (for counters). */
  onAttempt(): void;
  /** The handshake answered 429: the attempt is refused and the next one waits longer. */
  onRefused?(): void;
  onOpen(socket: WebSocket): void;
  onMessage(socket: WebSocket, data: WebSocket.RawData, isBinary: boolean): void;
  /** The connection ended (closed, dropped, refused or stopped); a reconnect follows unless stopped. */
  onClose(): void;
}

/**
 * One WebSocket to an Alpaca stream that stays up: heartbeats (ping, dropped after a silent interval) and
 * reconnects with jittered exponential backoff, skipping ahead after a refusal (a 429 handshake, or whatever
 * the protocol reports through {@link penalise}). The protocol itself (auth, subscribe, frames) is the
 * caller's; {@link resetBackoff} marks a connection as established so the schedule starts over.
 */
export class ReconnectingSocket {
  private socket: WebSocket | undefined;
  private attempt = 0;
  private penalty = false;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: ReconnectingSocketOptions,
    private readonly protocol: SocketProtocol,
  ) {}

  /** Opens the first connection; later ones follow each close until {@link stop}. */
  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    this.socket?.terminate();
    this.socket = undefined;
  }

  /** The connection is established: the next reconnect starts the backoff schedule from the beginning. */
  resetBackoff(): void {
    this.attempt = 0;
  }

  /** The current connection was refused by the protocol (e.g. 406, 429): the next reconnect waits longer. */
  penalise(): void {
    this.penalty = true;
  }

  private connect(): void {
    if (this.stopped) return;
    this.protocol.onAttempt();
    const socket = new WebSocket(this.options.url, {
      handshakeTimeout: this.options.connectTimeoutMs ?? 15_000,
    });
    this.socket = socket;
    this.penalty = false;
    let alive = true;
    socket.on('unexpected-response', (_request, response) => {
      if (response.statusCode === 429) {
        this.protocol.onRefused?.();
        this.penalty = true;
      }
      socket.terminate();
    });
    socket.on('open', () => this.protocol.onOpen(socket));
    socket.on('pong', () => {
      alive = true;
    });
    socket.on('message', (data, isBinary) => {
      alive = true;
      this.protocol.onMessage(socket, data, isBinary);
    });
    socket.on('error', () => {
      // 'close' follows and schedules the reconnect.
    });
    socket.on('close', () => {
      clearInterval(this.heartbeat);
      if (this.socket === socket) this.socket = undefined;
      this.protocol.onClose();
      this.schedule();
    });
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, this.options.heartbeatMs ?? 10_000);
  }

  private schedule(): void {
    if (this.stopped) return;
    // A refusal skips ahead in the schedule: retrying fast would only prolong it.
    if (this.penalty) this.attempt += 2;
    const delay = backoffDelay(
      this.attempt,
      this.options.backoff ?? { baseMs: 500, maxMs: 30_000 },
      this.options.random,
    );
    this.attempt += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
