/**
 * The client side of the fan-out benchmark: N WebSocket clients in one process (not the server's).
 * Frames are scanned, not JSON.parse'd, so the clients stay cheap enough not to be the bottleneck:
 * each message starts with `{"T":"<type>"`, a trade's symbol, id and time sit at fixed places
 * (server/ws/messages.ts), and latency is receive time minus the trade's `t` (its emit time).
 * Talks to the orchestrator over IPC only.
 */
import WebSocket from 'ws';
import {
  type ClientCommand,
  type ClientCounters,
  type ClientReport,
  subscriptions,
  universe,
} from './protocol.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function report(message: ClientReport): void {
  process.send?.(message);
}

/** Latencies in 1 ms bins up to 60 s. */
class Histogram {
  private readonly bins = new Uint32Array(60_001);
  count = 0;
  max = 0;
  add(ms: number): void {
    const bin = ms < 0 ? 0 : ms > 60_000 ? 60_000 : ms;
    this.bins[bin] = (this.bins[bin] ?? 0) + 1;
    this.count += 1;
    if (ms > this.max) this.max = ms;
  }
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < this.bins.length; i += 1) {
      seen += this.bins[i] ?? 0;
      if (seen >= rank) return i;
    }
    return 60_000;
  }
  summary() {
    return { p50: this.percentile(50), p99: this.percentile(99), max: this.max, count: this.count };
  }
  reset(): void {
    this.bins.fill(0);
    this.count = 0;
    this.max = 0;
  }
}

interface Client {
  socket: WebSocket;
  symbols: string[];
  /** Trades received per symbol, and the last trade id seen per symbol. */
  received: Map<string, number>;
  lastId: Map<string, number>;
  subscribed: boolean;
  closed: boolean;
}

const counters: ClientCounters = { frames: 0, messages: 0, trades: 0, quotes: 0, resyncs: 0 };
const tradeLatency = new Histogram();
const quoteLatency = new Histogram();
let sequenceBreaks = 0;
// Many messages of one frame share an emit millisecond: parse each distinct `t` once.
let lastStamp = '';
let lastStampMs = 0;

function stampMs(text: string, at: number): number {
  const stamp = text.slice(at, at + 24);
  if (stamp !== lastStamp) {
    lastStamp = stamp;
    lastStampMs = Date.parse(stamp);
  }
  return lastStampMs;
}

const TRADE_SYMBOL_AT = '{"T":"t","S":"'.length;

/** Counts and times the messages of one frame (a JSON array, or one bare object for the baseline). */
function scan(client: Client, text: string, now: number): void {
  counters.frames += 1;
  let pos = text.indexOf('{"T":"');
  while (pos !== -1) {
    counters.messages += 1;
    const type = text.charCodeAt(pos + 6);
    const next = text.indexOf('{"T":"', pos + 8);
    if (type === 116 /* t */ && text.charCodeAt(pos + 7) === 34) {
      const symbolEnd = text.indexOf('"', pos + TRADE_SYMBOL_AT);
      const symbol = text.slice(pos + TRADE_SYMBOL_AT, symbolEnd);
      const idEnd = text.indexOf(',', symbolEnd + 6);
      const id = Number(text.slice(symbolEnd + 6, idEnd));
      const stampAt = text.indexOf('"t":"', idEnd) + 5;
      tradeLatency.add(now - stampMs(text, stampAt));
      counters.trades += 1;
      client.received.set(symbol, (client.received.get(symbol) ?? 0) + 1);
      const last = client.lastId.get(symbol);
      if (last !== undefined && id !== last + 1) sequenceBreaks += 1;
      client.lastId.set(symbol, id);
    } else if (type === 113 /* q */) {
      const stampAt = text.indexOf('"t":"', pos + 8) + 5;
      quoteLatency.add(now - stampMs(text, stampAt));
      counters.quotes += 1;
    } else if (type === 114 /* r */ && text.startsWith('resync', pos + 6)) {
      counters.resyncs += 1;
    } else if (type === 115 /* s */ && text.startsWith('subscription', pos + 6)) {
      client.subscribed = true;
    }
    pos = next;
  }
}

function textOf(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('latin1');
  if (Array.isArray(data)) return Buffer.concat(data).toString('latin1');
  return Buffer.from(data).toString('latin1');
}

function open(url: string, symbols: string[]): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const client: Client = {
      socket,
      symbols,
      received: new Map(),
      lastId: new Map(),
      subscribed: false,
      closed: false,
    };
    socket.on('message', (data) => scan(client, textOf(data), Date.now()));
    socket.on('close', () => {
      client.closed = true;
    });
    socket.once('error', reject);
    socket.once('open', () => {
      socket.send(JSON.stringify({ action: 'subscribe', trades: symbols, quotes: symbols }));
      const check = setInterval(() => {
        if (!client.subscribed) return;
        clearInterval(check);
        resolve(client);
      }, 5);
    });
  });
}

async function main(): Promise<void> {
  const url = arg('url', '');
  const count = Number(arg('clients', '1000'));
  const symbols = universe(Number(arg('symbols', '200')));
  const plan = subscriptions(count, symbols, Number(arg('per-client', '10')));
  const started = Date.now();
  const clients: Client[] = [];
  for (let i = 0; i < plan.length; i += 50) {
    clients.push(...(await Promise.all(plan.slice(i, i + 50).map((s) => open(url, s)))));
  }
  let cpuMark = process.cpuUsage();
  let cpuAt = Date.now();

  async function collect(emittedBySymbol: Record<string, number>, timeoutMs: number): Promise<void> {
    const shortOf = (client: Client) => {
      let missing = 0;
      for (const symbol of client.symbols) {
        missing += Math.max(0, (emittedBySymbol[symbol] ?? 0) - (client.received.get(symbol) ?? 0));
      }
      return missing;
    };
    const deadline = Date.now() + timeoutMs;
    let missing = clients.reduce((sum, c) => sum + shortOf(c), 0);
    while (missing > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      missing = clients.reduce((sum, c) => sum + shortOf(c), 0);
    }
    report({
      type: 'collected',
      counters: { ...counters },
      tradeLatency: tradeLatency.summary(),
      quoteLatency: quoteLatency.summary(),
      missingTrades: missing,
      sequenceBreaks,
      clientsShort: clients.filter((c) => shortOf(c) > 0).length,
      closedClients: clients.filter((c) => c.closed).length,
    });
  }

  process.on('message', (command: ClientCommand) => {
    if (command.type === 'reset') {
      for (const key of Object.keys(counters) as (keyof ClientCounters)[]) counters[key] = 0;
      tradeLatency.reset();
      quoteLatency.reset();
      sequenceBreaks = 0;
      cpuMark = process.cpuUsage();
      cpuAt = Date.now();
      report({ type: 'reset' });
    } else if (command.type === 'mark') {
      const cpu = process.cpuUsage(cpuMark);
      report({
        type: 'marked',
        counters: { ...counters },
        cpu: (cpu.user + cpu.system) / 1000 / (Date.now() - cpuAt),
      });
    } else if (command.type === 'collect') void collect(command.emittedBySymbol, command.timeoutMs);
    else {
      for (const client of clients) client.socket.terminate();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  report({ type: 'ready', clients: clients.length, connectMs: Date.now() - started });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
