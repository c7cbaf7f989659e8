import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { fingerprint, normaliseFile } from './fingerprint.js';
import { decodeVlq, parseStack, SourceMapResolver } from './source-map.js';

const SOURCE = `export function placeOrder(qty: number): number {
  if (qty <= 0) {
    throw new RangeError('quantity must be positive');
  }
  return qty * 2;
}
(globalThis as Record<string, unknown>).placeOrder = placeOrder;
`;

/** A real minified bundle with a hidden source map, as the Vite build makes them. */
function buildBundle(): { root: string; code: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-maps-'));
  fs.mkdirSync(path.join(root, 'src'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'src', 'place-order.ts'), SOURCE);
  const result = buildSync({
    entryPoints: [path.join(root, 'src', 'place-order.ts')],
    bundle: true,
    minify: true,
    sourcemap: 'external',
    write: false,
    outfile: path.join(root, 'assets', 'index-B9x_1kQz.js'),
    format: 'esm',
  });
  let code = '';
  for (const file of result.outputFiles) {
    fs.writeFileSync(file.path, file.text);
    if (file.path.endsWith('.js')) code = file.text;
  }
  return { root, code };
}

describe('decodeVlq', () => {
  it('decodes signed numbers across continuation digits', () => {
    expect(decodeVlq('AAAA')).toEqual([0, 0, 0, 0]);
    expect(decodeVlq('SAAS')).toEqual([9, 0, 0, 9]);
    expect(decodeVlq('D')).toEqual([-1]);
    expect(decodeVlq('2H')).toEqual([123]);
    expect(decodeVlq('gqjG')).toEqual([100_000]);
  });

  it('refuses a truncated segment', () => {
    expect(() => decodeVlq('g')).toThrow('truncated');
  });
});

describe('SourceMapResolver', () => {
  it('maps a minified frame back to the original file and line of the throw', async () => {
    const { root, code } = buildBundle();
    const column = code.indexOf('throw') + 1;
    const stack = `RangeError: quantity must be positive\n    at placeOrder (https://pulse.example/assets/index-B9x_1kQz.js:1:${column})`;
    const mapped = await new SourceMapResolver(root).mapStack(stack);
    expect(mapped?.frames[0]).toMatchObject({
      file: expect.stringMatching(/src\/place-order\.ts$/),
      line: 3,
    });
    expect(mapped?.mapped).toMatch(/place-order\.ts:3:\d+\)$/);
  });

  it('leaves frames of unknown files alone and never reads outside assets/', async () => {
    const { root } = buildBundle();
    const resolver = new SourceMapResolver(root);
    expect(
      await resolver.mapStack('Error: x\n    at f (https://pulse.example/assets/../../etc/passwd.js:1:1)'),
    ).toBeUndefined();
    expect(
      await resolver.mapStack('Error: x\n    at f (https://pulse.example/assets/missing-AAAAAAAA.js:1:1)'),
    ).toBeUndefined();
  });
});

describe('fingerprint', () => {
  it('groups the same error across builds whose bundle hashes and columns differ', () => {
    const a = parseStack(
      'TypeError: x is undefined\n    at render (https://a.example/assets/index-B9x_1kQz.js:1:4410)\n    at commit (https://a.example/assets/vendor-Q1w2e3r4.js:2:99)',
    );
    const b = parseStack(
      'render@https://b.example/assets/index-Zz9_8yXw.js:1:5120\ncommit@https://b.example/assets/vendor-P0o9i8u7.js:2:101',
    );
    expect(fingerprint('TypeError', 'x is undefined', a)).toBe(fingerprint('TypeError', 'y is undefined', b));
    expect(fingerprint('RangeError', 'x is undefined', a)).not.toBe(
      fingerprint('TypeError', 'x is undefined', a),
    );
    expect(normaliseFile('https://a.example/assets/index-B9x_1kQz.js?v=1')).toBe('assets/index.js');
  });

  it('masks numbers in the message when there is no stack', () => {
    expect(fingerprint('Error', 'order 123 failed', [])).toBe(fingerprint('Error', 'order 456 failed', []));
  });
});
