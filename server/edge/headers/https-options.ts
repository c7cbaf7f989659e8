import fs from 'node:fs';

/** TLS settings for Fastify's `https` option: TLS 1.3 only (its cipher suites are all AEAD with forward secrecy). */
export interface HttpsOptions {
  cert: Buffer | string;
  key: Buffer | string;
  minVersion: 'TLSv1.3';
}

/** Reads TLS_CERT and TLS_KEY (PEM files) into Fastify's `https` option. */
export function readHttpsOptions(paths: { cert: string; key: string }): HttpsOptions {
  return { cert: fs.readFileSync(paths.cert), key: fs.readFileSync(paths.key), minVersion: 'TLSv1.3' };
}
