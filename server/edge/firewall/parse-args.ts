import { urlDecode } from './normalise.js';
import type { ParseProblem } from './types.js';

/** Limits on arguments and bodies; exceeding one is a protocol violation. */
export interface FirewallLimits {
  maxArgs: number;
  maxArgNameLength: number;
  maxArgLength: number;
  maxBodyBytes: number;
  maxJsonDepth: number;
  /** Only this many characters of each value are inspected. */
  inspectLength: number;
}

/** Defaults sized for Pulse's API: long notes and big order batches fit, floods do not. */
export const DEFAULT_LIMITS: FirewallLimits = {
  maxArgs: 512,
  maxArgNameLength: 128,
  maxArgLength: 32_768,
  maxBodyBytes: 1_048_576,
  maxJsonDepth: 32,
  inspectLength: 8_192,
};

const BAD_PERCENT = /%(?![0-9a-fA-F]{2}|[uU][0-9a-fA-F]{4})/;

/** Reports a `%` not followed by two hex digits (or `%uXXXX`). */
export function checkEncoding(raw: string, field: string, problems: ParseProblem[]): void {
  if (raw.includes('%') && BAD_PERCENT.test(raw))
    problems.push({ kind: 'invalid-encoding', field, detail: raw.slice(0, 64) });
}

/** Splits `a=1&b=2` into decoded name/value pairs and calls `visit` for each. */
export function parseUrlEncoded(
  raw: string,
  field: string,
  problems: ParseProblem[],
  visit: (name: string, value: string) => void,
): number {
  if (raw.length === 0) return 0;
  checkEncoding(raw, field, problems);
  let count = 0;
  let start = 0;
  while (start <= raw.length) {
    let end = raw.indexOf('&', start);
    if (end === -1) end = raw.length;
    if (end > start) {
      const pair = raw.slice(start, end);
      const eq = pair.indexOf('=');
      const name = urlDecode(eq === -1 ? pair : pair.slice(0, eq), true);
      const value = eq === -1 ? '' : urlDecode(pair.slice(eq + 1), true);
      visit(name, value);
      count++;
    }
    start = end + 1;
  }
  return count;
}

/** Parses a Cookie header into name/value pairs. */
export function parseCookieHeader(header: string): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim();
    if (name) cookies[name] = eq === -1 ? '' : part.slice(eq + 1).trim();
  }
  return cookies;
}

/** Checks an argument against the name and length limits. */
export function checkArg(
  field: string,
  name: string,
  value: string,
  limits: FirewallLimits,
  problems: ParseProblem[],
): void {
  if (name.length > limits.maxArgNameLength)
    problems.push({ kind: 'arg-name-too-long', field, detail: `${name.length} characters` });
  if (value.length > limits.maxArgLength)
    problems.push({ kind: 'arg-too-long', field, detail: `${value.length} characters` });
}
