import {
  type Config,
  ConfigError,
  DatabaseUnavailableError,
  DataDirLockedError,
  parseConfig,
} from '../server/main.js';
import { fail } from './command.js';

/** Errors whose message is the whole story: printed on one line, no stack trace. */
function isExpected(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof DataDirLockedError
  );
}

/** Prints a startup failure as one line and returns exit code 1. */
export function failWith(error: unknown): number {
  if (isExpected(error)) return fail(error.message);
  return fail(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}

/** Parses the configuration, or prints why not and returns exit code 1. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config | number {
  try {
    return parseConfig(env);
  } catch (error) {
    return failWith(error);
  }
}

export { ConfigError };
