import crypto from 'node:crypto';
import type { StackFrame } from './source-map.js';

/** A bundle file name without its content hash and location: `/assets/index-B9x_1kQz.js` → `assets/index.js`. */
export function normaliseFile(file: string): string {
  const withoutOrigin = file.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, '').replace(/[?#].*$/, '');
  return withoutOrigin.replace(/^\/+/, '').replace(/[-.][A-Za-z0-9_-]{8,}(\.(?:m?js|css))$/, '$1');
}

const isBundle = (file: string) => /\/assets\/|[-.][A-Za-z0-9_-]{8,}\.m?js/.test(file);

/**
 * Groups errors: the error type plus its top frames, each as function and normalised file; lines
 * and columns of minified bundles are dropped (they move with every build), kept for source files.
 */
export function fingerprint(type: string, message: string, frames: readonly StackFrame[]): string {
  const top = frames.slice(0, 3).map((f) => {
    const file = normaliseFile(f.file);
    return isBundle(f.file) ? `${f.fn ?? '?'}@${file}` : `${f.fn ?? '?'}@${file}:${f.line}`;
  });
  // Without frames the message is all there is; numbers in it (ids, counts) are masked.
  const basis = top.length > 0 ? top.join('|') : message.replace(/\d+/g, '#').slice(0, 200);
  return crypto.createHash('sha256').update(`${type}\n${basis}`).digest('hex').slice(0, 16);
}
