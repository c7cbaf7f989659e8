import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc } from './errors-doc.js';
import { ERROR_CATALOG } from './errors.js';

describe('ERROR_CATALOG', () => {
  it('is documented in docs/errors.md exactly (run `npm run docs:errors` after changing it)', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../docs/errors.md'), 'utf8');
    expect(doc).toBe(renderErrorsDoc());
  });

  it('uses UPPER_SNAKE codes with an area prefix and HTTP error statuses', () => {
    for (const [code, spec] of Object.entries(ERROR_CATALOG)) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z0-9]+)+$/);
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.status).toBeLessThan(600);
      expect(spec.description.length).toBeGreaterThan(10);
    }
  });

  it('is used: every code thrown in server/ and core/ is in the catalog', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const thrown = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
          const text = fs.readFileSync(full, 'utf8');
          for (const m of text.matchAll(/new (?:AppError|DomainError)\(\s*'([A-Z_0-9]+)'/g))
            thrown.add(m[1] as string);
        }
      }
    };
    walk(path.join(root, 'server'));
    walk(path.join(root, 'core'));
    const unknown = [...thrown].filter((code) => !Object.hasOwn(ERROR_CATALOG, code));
    expect(unknown).toEqual([]);
  });
});
