import { serve } from '../server/main.js';
import type { Command } from './command.js';
import { ConfigError, failWith, loadConfig } from './server-errors.js';

/** `pulse serve`: the server, until SIGTERM/SIGINT (graceful) or a second signal (immediate). */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the Pulse server (web app, API, market stream)',
  usage:
    'Usage: pulse serve\n\nStarts Pulse on HOST:PORT (default 127.0.0.1:3000). Configure with environment variables.',
  options: {},
  async run(_values, env) {
    const config = loadConfig(env);
    if (typeof config === 'number') return config;
    let server: Awaited<ReturnType<typeof serve>>;
    try {
      server = await serve(config);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        return failWith(
          new ConfigError(
            `PORT ${config.port} on ${config.host} is already in use; set PORT to a free port.`,
          ),
        );
      if (code === 'EADDRNOTAVAIL')
        return failWith(new ConfigError(`HOST ${config.host} is not an address of this machine.`));
      return failWith(error);
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
      return failWith(error);
    }
    return new Promise<number>(() => undefined);
  },
};
