import type { ParseArgsConfig } from 'node:util';

/** Parsed option values of a command. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** One `pulse` sub-command; each lives in its own `<name>.command.ts`. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Positional arguments allowed (default: none). */
  allowPositionals?: boolean;
  run(
    values: OptionValues,
    env: Readonly<Record<string, string | undefined>>,
    positionals: string[],
  ): Promise<number>;
}

/** Writes `pulse: <message>` to stderr and returns exit code 1. */
export function fail(message: string): number {
  process.stderr.write(`pulse: ${message}\n`);
  return 1;
}
