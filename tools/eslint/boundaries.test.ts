import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'boundaries/imports').map((m) => m.message);
}

describe('boundaries/imports', () => {
  it.each([
    ['core/market-data/x.ts', "import { a } from '../../server/app.js';", /core may import only core/],
    ['core/market-data/x.ts', "import fs from 'node:fs';", /core is pure/],
    ['core/kernel/x.ts', "import Fastify from 'fastify';", /core may not import the package 'fastify'/],
    ['contracts/x.ts', "import { a } from '../core/kernel/index.js';", /contracts may import only contracts/],
    [
      'web/features/x.ts',
      "import { a } from '../../server/app.js';",
      /nothing outside server\/ imports server\//,
    ],
    [
      'web/features/x.ts',
      "import { a } from '../../core/market-data/calendar.js';",
      /web may import contracts and core\/<area>\/index.ts only/,
    ],
    ['cli/x.ts', "import { buildApp } from '../server/app.js';", /cli may import server\/main.ts only/],
    [
      'server/http/x.ts',
      "import { a } from '../adapters/db/open-database.js';",
      /only server\/main.ts imports server\/adapters\//,
    ],
    ['server/http/x.ts', "import { a } from '../../web/app/app.js';", /nothing outside web\/ imports web\//],
  ])('refuses %s: %s', async (file, code, message) => {
    const found = await violations(file, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it.each([
    ['core/market-data/x.ts', "import { Money } from '../kernel/index.js';"],
    ['server/main.ts', "import { openDatabase } from './adapters/db/open-database.js';"],
    ['cli/x.ts', "import { serve } from '../server/main.js';"],
    ['web/features/x.ts', "import { parseTimeframe } from '../../core/market-data/index.js';"],
    ['server/http/x.test.ts', "import { a } from '../adapters/db/sql-stores.js';"],
  ])('allows %s: %s', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
