import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, openDatabase } from './open-database.js';
import { pglitePool } from './pglite-connection.js';
import { PgliteWorker } from './pglite-worker.js';

const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pulse-pglite-worker-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A pool over PGlite on its own thread, and one over PGlite in this thread, each with the same table. */
async function both(): Promise<{ threaded: pg.Pool; inline: pg.Pool }> {
  const worker = await PgliteWorker.open('memory://');
  const pglite = await PGlite.create('memory://');
  const threaded = pglitePool(worker);
  const inline = pglitePool(pglite);
  cleanup.push(async () => {
    await Promise.all([threaded.end(), inline.end()]);
    await Promise.all([worker.close(), pglite.close()]);
  });
  for (const pool of [threaded, inline])
    await pool.query(
      'create table t (id text primary key, qty numeric, doc jsonb, at timestamptz, tags text[])',
    );
  return { threaded, inline };
}

const insert = (id: string, qty: string) => ({
  name: 'insert-t',
  text: 'insert into t (id, qty, doc, at, tags) values ($1, $2, $3, $4, $5) returning *',
  values: [id, qty, JSON.stringify({ side: 'buy', n: 1 }), '2024-03-12T14:30:00Z', ['a', 'b']],
});

describe('PgliteWorker', () => {
  it('answers what PGlite in this thread answers: rows, types, errors and their codes', async () => {
    const { threaded, inline } = await both();
    const results = await Promise.all(
      [threaded, inline].map(async (pool) => {
        await pool.query(insert('a', '12.345'));
        await pool.query(insert('b', '0.000001'));
        const rows = (await pool.query('select * from t order by id')).rows;
        const duplicate = await pool.query(insert('a', '1')).catch((error: unknown) => error);
        const syntax = await pool.query('selec 1').catch((error: unknown) => error);
        return { rows, duplicate, syntax };
      }),
    );
    const [threaded_, inline_] = results;
    expect(threaded_?.rows).toEqual(inline_?.rows);
    expect(threaded_?.rows[1]).toMatchObject({ id: 'b', qty: '0.000001', tags: ['a', 'b'] });
    for (const name of ['duplicate', 'syntax'] as const) {
      const mine = threaded_?.[name] as { code?: string; message?: string };
      const reference = inline_?.[name] as { code?: string; message?: string };
      expect(mine).toBeInstanceOf(Error);
      expect(mine.code).toBe(reference.code);
      expect(mine.message).toBe(reference.message);
    }
    expect((threaded_?.duplicate as { code?: string }).code).toBe('23505');
  });

  it('keeps many concurrent queries and a rolled-back transaction apart, each answer to its caller', async () => {
    const { threaded } = await both();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        threaded.query<{ n: number }>({ text: 'select $1::int * 2 as n', values: [i] }),
      ),
    );
    expect(answers.map((a) => a.rows[0]?.n)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    const client = await threaded.connect();
    await client.query('begin');
    await client.query(insert('gone', '1'));
    await client.query('rollback');
    client.release();
    expect((await threaded.query('select count(*)::int as n from t')).rows).toEqual([{ n: 0 }]);
  });

  it('keeps what was committed on disk across a close and a reopen', async () => {
    const dataDir = await tempDir();
    const first = await openDatabase({ dataDir, connectTimeoutMs: 5_000 });
    await first.db.schema.createTable('kept').addColumn('v', 'text').execute();
    await first.db
      .insertInto('kept' as never)
      .values({ v: 'durable' } as never)
      .execute();
    await first.close();
    const second = await openDatabase({ dataDir, connectTimeoutMs: 5_000 });
    cleanup.push(() => second.close());
    const rows = await second.db
      .selectFrom('kept' as never)
      .selectAll()
      .execute();
    expect(rows).toEqual([{ v: 'durable' }]);
  });

  it('refuses a data folder it cannot open, with the reason, and fails every later call', async () => {
    const dataDir = await tempDir();
    await writeFile(path.join(dataDir, 'pglite'), 'not a folder');
    const opening = openDatabase({ dataDir, connectTimeoutMs: 5_000 });
    await expect(opening).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(opening).rejects.toThrow(/Cannot open the embedded database/);

    const worker = await PgliteWorker.open('memory://');
    await worker.close();
    await expect(worker.execProtocolStream(new Uint8Array(0))).rejects.toThrow(/closed/);
  });
});
