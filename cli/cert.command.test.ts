import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDevCertificate } from './cert.command.js';

describe('writeDevCertificate', () => {
  it('writes a certificate for localhost, 127.0.0.1 and extra names, with a private key only its owner reads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-cert-'));
    const files = writeDevCertificate(dir, { days: 7, dnsNames: ['pulse.test'] });
    const cert = new crypto.X509Certificate(fs.readFileSync(files.cert));
    expect(cert.checkHost('pulse.test')).toBe('pulse.test');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(Date.parse(cert.validTo) - Date.now()).toBeLessThan(8 * 86_400_000);
    expect(cert.checkPrivateKey(crypto.createPrivateKey(fs.readFileSync(files.key)))).toBe(true);
    expect(fs.statSync(files.key).mode & 0o777).toBe(0o600);
    expect(() => writeDevCertificate(dir)).toThrow(/--force/);
    fs.rmSync(dir, { recursive: true });
  });
});
