import fs from 'node:fs';
import path from 'node:path';
import { selfSignedCertificate } from '../server/main.js';
import { fail, type Command } from './command.js';

/** Writes `pulse-dev.crt` and `pulse-dev.key` (mode 0600) into `dir`; returns their paths. */
export function writeDevCertificate(
  dir: string,
  options: { days?: number; dnsNames?: string[]; force?: boolean } = {},
): { cert: string; key: string } {
  const cert = path.join(dir, 'pulse-dev.crt');
  const key = path.join(dir, 'pulse-dev.key');
  if (!options.force && (fs.existsSync(cert) || fs.existsSync(key)))
    throw new Error(`${cert} or ${key} exists already; pass --force to replace them`);
  const pair = selfSignedCertificate({
    dnsNames: ['localhost', ...(options.dnsNames ?? [])],
    ...(options.days !== undefined && { days: options.days }),
  });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(key, pair.key, { mode: 0o600 });
  fs.writeFileSync(cert, pair.cert, { mode: 0o644 });
  return { cert, key };
}

/** `pulse cert dev`: a self-signed development certificate for 127.0.0.1, ::1 and localhost, made by Node alone. */
export const certCommand: Command = {
  name: 'cert',
  summary: 'Make a self-signed development certificate for HTTPS on 127.0.0.1/localhost',
  usage: [
    'Usage: pulse cert dev [--out DIR] [--days N] [--host NAME]... [--force]',
    '',
    'Writes DIR/pulse-dev.crt and DIR/pulse-dev.key (default DIR: ./data/tls), an ECDSA P-256 certificate',
    'for localhost, 127.0.0.1 and ::1 valid for N days (default 30), made with node:crypto (no openssl).',
    'Then start Pulse with TLS_CERT=DIR/pulse-dev.crt TLS_KEY=DIR/pulse-dev.key (TLS 1.3 only).',
    'Browsers warn about it: it is for development and for nginx→Pulse hops, not for the public.',
  ].join('\n'),
  options: {
    out: { type: 'string', short: 'o' },
    days: { type: 'string' },
    host: { type: 'string', multiple: true },
    force: { type: 'boolean' },
  },
  allowPositionals: true,
  async run(values, _env, positionals) {
    if (positionals[0] !== 'dev' || positionals.length !== 1)
      return fail("cert: expected the subcommand 'dev'; run `pulse cert --help`");
    const days = values.days === undefined ? 30 : Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > 825)
      return fail(`cert: --days must be a whole number from 1 to 825, not '${String(values.days)}'`);
    const hosts = (Array.isArray(values.host) ? values.host : []).map(String);
    const bad = hosts.find(
      (h) => !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(h),
    );
    if (bad !== undefined) return fail(`cert: --host '${bad}' is not a DNS name`);
    const dir = path.resolve(typeof values.out === 'string' ? values.out : './data/tls');
    try {
      const files = writeDevCertificate(dir, { days, dnsNames: hosts, force: values.force === true });
      process.stdout.write(`TLS_CERT=${files.cert}\nTLS_KEY=${files.key}\n`);
      return 0;
    } catch (error) {
      return fail(`cert: ${error instanceof Error ? error.message : String(error)}`);
    }
  },
};
