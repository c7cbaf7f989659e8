import { certCommand } from './cert.command.js';
import type { Command } from './command.js';
import { backtestCommand } from './backtest.command.js';
import { firewallCommand } from './firewall.command.js';
import { indicatorsCommand } from './indicators.command.js';
import { keysCommand } from './keys.command.js';
import { migrateCommand } from './migrate.command.js';
import { serveCommand } from './serve.command.js';
import { simCommand } from './sim.command.js';
import { tokenCommand } from './token.command.js';
import { userCommand } from './user.command.js';

/** Every command, in the order `pulse --help` lists them. Add a command: one file, one line here. */
export const commands: readonly Command[] = [
  serveCommand,
  migrateCommand,
  simCommand,
  indicatorsCommand,
  backtestCommand,
  firewallCommand,
  userCommand,
  tokenCommand,
  keysCommand,
  certCommand,
];
