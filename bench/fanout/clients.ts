/**
 * The client side of the fan-out benchmark: N WebSocket clients in one process (not the server's),
 * each a bare RFC 6455 socket (raw-web-socket.ts) whose text frames are scanned in place
 * (frame-scan.ts): no JSON.parse, no string per frame or message, no Buffer per read. Per trade the
 * scanner still takes the symbol, the id (sequence per symbol and client) and the emit time (`t`), so
 * latency is measured on every message and every subscribed trade is accounted for.
 * Talks to the orchestrator over IPC only.
 */
import { FrameScanner, ScanTarget } from './frame-scan.js';
import {
  type ClientCommand,
  type ClientCounters,
  type ClientReport,
  subscriptions,
  universe,
} from './protocol.js';
import { RawWebSocket } from './raw-web-socket.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function report(message: ClientReport): void {
  process.send?.(message);
}

interface Client {
  socket: RawWebSocket;
  symbols: number[];
  target: ScanTarget;
  closed: string | null;
}

function open(url: string, scanner: FrameScanner, symbols: string[]): Promise<Client> {
  return new Promise((resolve, reject) => {
    const indexes = symbols.map((s) => scanner.indexOf(s));
    const target = new ScanTarget(scanner.symbols.length, indexes);
    const client: Client = {
      socket: undefined as unknown as RawWebSocket,
      symbols: indexes,
      target,
      closed: null,
    };
    let check: NodeJS.Timeout | undefined;
    client.socket = new RawWebSocket(
      url,
      {
        onText: (buf, start, end, now) => scanner.scan(target, buf, start, end, now),
        onClose: (reason) => {
          client.closed = reason;
          clearInterval(check);
          reject(new Error(`closed before subscribing: ${reason}`));
        },
      },
      () => {
        client.socket.sendText(JSON.stringify({ action: 'subscribe', trades: symbols, quotes: symbols }));
        check = setInterval(() => {
          if (!target.subscriptionAcked) return;
          clearInterval(check);
          resolve(client);
        }, 5);
      },
      reject,
    );
  });
}

function counters(scanner: FrameScanner): ClientCounters {
  const { frames, messages, trades, quotes, resyncs } = scanner;
  return { frames, messages, trades, quotes, resyncs };
}

async function main(): Promise<void> {
  const url = arg('url', '');
  const count = Number(arg('clients', '1000'));
  const symbols = universe(Number(arg('symbols', '200')));
  const scanner = new FrameScanner(symbols);
  const plan = subscriptions(count, symbols, Number(arg('per-client', '10')));
  const started = Date.now();
  const clients: Client[] = [];
  for (let i = 0; i < plan.length; i += 50) {
    clients.push(...(await Promise.all(plan.slice(i, i + 50).map((s) => open(url, scanner, s)))));
  }
  let cpuMark = process.cpuUsage();
  let cpuAt = Date.now();

  async function collect(emittedBySymbol: Record<string, number>, timeoutMs: number): Promise<void> {
    const emitted = symbols.map((s) => emittedBySymbol[s] ?? 0);
    const shortOf = (client: Client) => {
      let missing = 0;
      for (const s of client.symbols)
        missing += Math.max(0, (emitted[s] as number) - (client.target.received[s] as number));
      return missing;
    };
    const deadline = Date.now() + timeoutMs;
    let missing = clients.reduce((sum, c) => sum + shortOf(c), 0);
    while (missing > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      missing = clients.reduce((sum, c) => sum + shortOf(c), 0);
    }
    const closed = clients.filter((c) => c.closed !== null);
    if (closed.length > 0) process.stderr.write(`[clients] ${closed.length} closed: ${closed[0]?.closed}\n`);
    report({
      type: 'collected',
      counters: counters(scanner),
      tradeLatency: scanner.tradeLatency.summary(),
      quoteLatency: scanner.quoteLatency.summary(),
      missingTrades: missing,
      sequenceBreaks: scanner.sequenceBreaks,
      malformed: scanner.malformed,
      clientsShort: clients.filter((c) => shortOf(c) > 0).length,
      closedClients: closed.length,
    });
  }

  process.on('message', (command: ClientCommand) => {
    if (command.type === 'reset') {
      scanner.resetCounters();
      cpuMark = process.cpuUsage();
      cpuAt = Date.now();
      report({ type: 'reset' });
    } else if (command.type === 'mark') {
      const cpu = process.cpuUsage(cpuMark);
      report({
        type: 'marked',
        counters: counters(scanner),
        cpu: (cpu.user + cpu.system) / 1000 / (Date.now() - cpuAt),
        cpuMicros: cpu.user + cpu.system,
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
