import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import {
  createFirewall,
  fromRawRequest,
  PULSE_EXCLUSIONS,
  type FirewallOptions,
  type Paranoia,
  type RawRequest,
} from '../server/main.js';
import { fail, type Command } from './command.js';

/** Counts of one scan. */
export interface ScanSummary {
  scanned: number;
  blocked: number;
  invalid: number;
}

/** Streams JSON lines `{id, method, uri, headers, body}` from `input` to verdict lines `{id, action, score, rules}` on `output`. */
export async function scanRequests(
  input: Readable,
  output: Writable,
  errors: Writable,
  options: FirewallOptions,
): Promise<ScanSummary> {
  const firewall = createFirewall({ exclusions: PULSE_EXCLUSIONS, ...options });
  const summary: ScanSummary = { scanned: 0, blocked: 0, invalid: 0 };
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    let raw: RawRequest & { id?: unknown };
    try {
      raw = JSON.parse(line) as RawRequest & { id?: unknown };
      if (raw === null || typeof raw !== 'object') throw new Error('not an object');
    } catch (error) {
      summary.invalid++;
      errors.write(
        `pulse firewall: line ${number}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      continue;
    }
    const verdict = firewall.inspect(fromRawRequest(raw));
    summary.scanned++;
    if (verdict.action === 'block') summary.blocked++;
    const out = {
      id: raw.id ?? number,
      action: verdict.action,
      score: verdict.score,
      rules: verdict.matches.map((m) => m.ruleId),
    };
    if (!output.write(`${JSON.stringify(out)}\n`)) await once(output, 'drain');
  }
  return summary;
}

/** Parses `--paranoia` and `--mode`; a string is an error message. */
export function scanOptions(values: Record<string, unknown>): FirewallOptions | string {
  const paranoia = Number(values.paranoia ?? '1');
  if (![1, 2, 3, 4].includes(paranoia))
    return `--paranoia must be 1, 2, 3 or 4, not '${String(values.paranoia)}'`;
  const mode = values.mode ?? 'block';
  if (mode !== 'block' && mode !== 'detect') return `--mode must be block or detect, not '${String(mode)}'`;
  return { paranoia: paranoia as Paranoia, mode };
}

/** `pulse firewall scan`: runs the in-process firewall over JSON-lines requests on stdin. */
export const firewallCommand: Command = {
  name: 'firewall',
  summary: 'Scan requests with the in-process firewall (JSON lines in, verdicts out)',
  usage: [
    'Usage: pulse firewall scan [--paranoia N] [--mode block|detect]',
    '',
    'Reads one request per line on stdin: {"id", "method", "uri", "headers", "body"}.',
    'Writes one verdict per line on stdout: {"id", "action": "block"|"allow", "score", "rules": [...]}.',
    "Uses Pulse's own per-field exclusions. --paranoia 1-4 (default 1); --mode detect never blocks.",
  ].join('\n'),
  options: { paranoia: { type: 'string', short: 'p' }, mode: { type: 'string', short: 'm' } },
  allowPositionals: true,
  async run(values, _env, positionals) {
    if (positionals[0] !== 'scan' || positionals.length !== 1)
      return fail(`firewall: expected the subcommand 'scan'; run \`pulse firewall --help\``);
    const options = scanOptions(values);
    if (typeof options === 'string') return fail(`firewall: ${options}`);
    const summary = await scanRequests(process.stdin, process.stdout, process.stderr, options);
    return summary.invalid > 0 ? 1 : 0;
  },
};
