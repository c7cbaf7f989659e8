import { migrate } from '../server/main.js';
import type { Command } from './command.js';
import { failWith, loadConfig } from './server-errors.js';

/** `pulse migrate`: applies pending migrations and prints what it did as JSON. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations and exit',
  usage:
    'Usage: pulse migrate\n\nApplies every pending migration to DATABASE_URL, or to the embedded database in DATA_DIR.',
  options: {},
  async run(_values, env) {
    const config = loadConfig(env);
    if (typeof config === 'number') return config;
    try {
      const report = await migrate(config);
      process.stdout.write(
        `${JSON.stringify({ engine: report.engine, applied: report.applied, pending: report.pending })}\n`,
      );
      return 0;
    } catch (error) {
      return failWith(error);
    }
  },
};
