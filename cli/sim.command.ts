import { scaledClock } from '../core/kernel/index.js';
import { MarketSimulator } from '../core/market-data/index.js';
import { buildSimServer } from '../server/main.js';
import { type Command, fail } from './command.js';

const USAGE = `Usage: pulse sim --port P [--host H] [--start ISO] [--speed N] [--seed S] [--key K --secret S]

Runs an offline, Alpaca-compatible exchange over Pulse's simulated market: Market Data v2 REST
(/v2/stocks/...), the market data stream (/v2/iex, /v2/sip), Trading API v2 over a paper broker per
API key (/v2/account, /v2/orders, /v2/positions, /v2/account/activities), the trade_updates stream
(/stream), and /v2/clock, /v2/calendar, /v2/assets.

  --port P      port to listen on (0 picks a free one)
  --host H      address to bind (default 127.0.0.1)
  --start ISO   simulated time at start, RFC 3339 (default: now)
  --speed N     simulated seconds per real second (default 1)
  --seed S      market seed (default pulse, the same market as \`pulse serve\`)
  --key K --secret S   the only API key pair accepted (default: any non-empty pair)`;

function number(text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : Number(text);
}

/** `pulse sim`: the Alpaca-compatible simulator, until SIGINT/SIGTERM. */
export const simCommand: Command = {
  name: 'sim',
  summary: 'Run an offline Alpaca-compatible exchange for bots and SDKs',
  usage: USAGE,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    start: { type: 'string' },
    speed: { type: 'string' },
    seed: { type: 'string' },
    key: { type: 'string' },
    secret: { type: 'string' },
  },
  async run(values) {
    const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
    const port = number(text('port'), Number.NaN);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      return fail('sim: --port must be an integer from 0 to 65535.');
    const host = text('host') ?? '127.0.0.1';
    const start = text('start') === undefined ? Date.now() : Date.parse(text('start') ?? '');
    if (Number.isNaN(start))
      return fail(
        `sim: --start must be an RFC 3339 time such as 2024-03-12T14:30:00Z, not '${text('start')}'.`,
      );
    const speed = number(text('speed'), 1);
    if (!Number.isFinite(speed) || speed <= 0 || speed > 10_000)
      return fail('sim: --speed must be a number above 0 and at most 10000.');
    const key = text('key');
    const secret = text('secret');
    if ((key === undefined) !== (secret === undefined))
      return fail('sim: give --key and --secret together, or neither.');

    const sim = await buildSimServer({
      simulator: new MarketSimulator({ seed: text('seed') ?? 'pulse' }),
      clock: scaledClock({ start, speed, real: { now: Date.now } }),
      key,
      secret,
    });
    let url: string;
    try {
      url = await sim.app.listen({ host, port });
    } catch (error) {
      await sim.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        return fail(`sim: port ${port} on ${host} is already in use; pick another with --port.`);
      return fail(
        `sim: cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const ws = url.replace(/^http/, 'ws');
    process.stdout.write(
      [
        `Pulse sim (Alpaca-compatible) at ${url} — simulated time ${new Date(start).toISOString()}, speed ${speed}x`,
        '',
        'Point an Alpaca client at it:',
        `  export APCA_API_BASE_URL=${url}`,
        `  export APCA_API_DATA_URL=${url}`,
        `  export APCA_API_STREAM_URL=${ws}/v2/iex`,
        `  export APCA_API_KEY_ID=${key ?? 'any-key'}`,
        `  export APCA_API_SECRET_KEY=${secret ?? 'any-secret'}`,
        '',
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    const stop = () => void sim.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return new Promise<number>(() => undefined);
  },
};
