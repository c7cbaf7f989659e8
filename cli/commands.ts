import type { ParseArgsConfig } from 'node:util';
import {
  type Config,
  ConfigError,
  DatabaseUnavailableError,
  DataDirLockedError,
  migrate,
  parseConfig,
  serve,
} from '../server/main.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** One `pulse` sub-command. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Options;
  run(values: Values, env: Readonly<Record<string, string | undefined>>): Promise<number>;
}

/** Errors whose message is the whole story: printed on one line, no stack trace. */
function isExpected(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof DatabaseUnavailableError || error instanceof DataDirLockedError;
}

function fail(error: unknown): number {
  const message = isExpected(error) ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`pulse: ${message}\n`);
  return 1;
}

function loadConfig(env: Readonly<Record<string, string | undefined>>): Config | number {
  try {
    return parseConfig(env);
  } catch (error) {
    return fail(error);
  }
}

const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the Pulse server (web app, API, market stream)',
  usage: 'Usage: pulse serve\n\nStarts Pulse on HOST:PORT (default 127.0.0.1:3000). Configure with environment variables.',
  options: {},
  async run(_values, env) {
    const config = loadConfig(env);
    if (typeof config === 'number') return config;
    let server: Awaited<ReturnType<typeof serve>>;
    try {
      server = await serve(config);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') return fail(new ConfigError(`PORT ${config.port} on ${config.host} is already in use; set PORT to a free port.`));
      if (code === 'EADDRNOTAVAIL') return fail(new ConfigError(`HOST ${config.host} is not an address of this machine.`));
      return fail(error);
    }
    process.stderr.write(`Pulse is serving at ${server.url}\n`);
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals += 1;
      if (signals > 1) process.exit(130);
      const force = setTimeout(() => {
        process.stderr.write('pulse: shutdown took too long; exiting\n');
        process.exit(1);
      }, config.shutdownGraceMs);
      force.unref();
      void server.stop(signal).then(() => process.exit(0));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    try {
      await server.ready;
    } catch (error) {
      await server.stop('startup failed').catch(() => undefined);
      return fail(error);
    }
    return new Promise<number>(() => undefined);
  },
};

const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations and exit',
  usage: 'Usage: pulse migrate\n\nApplies every pending migration to DATABASE_URL, or to the embedded database in DATA_DIR.',
  options: {},
  async run(_values, env) {
    const config = loadConfig(env);
    if (typeof config === 'number') return config;
    try {
      const report = await migrate(config);
      process.stdout.write(`${JSON.stringify({ engine: report.engine, applied: report.applied, pending: report.pending })}\n`);
      return 0;
    } catch (error) {
      return fail(error);
    }
  },
};

/** Every command, in the order `pulse --help` lists them. */
export const commands: readonly Command[] = [serveCommand, migrateCommand];
