import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { pglitePool } from './pglite-connection.js';

const opened: { pool: pg.Pool; pglite: PGlite }[] = [];

/** A fresh in-memory PGlite with a table, behind our pool, counting the protocol calls made into it. */
async function open(pool: (pglite: PGlite) => pg.Pool = pglitePool) {
  const pglite = await PGlite.create('memory://');
  await pglite.exec(
    'create table t (id text primary key, qty numeric, doc jsonb, at timestamptz, tags text[])',
  );
  const calls: number[] = [];
  const exec = pglite.execProtocolStream.bind(pglite);
  pglite.execProtocolStream = (message, options) => {
    calls.push(message.length);
    return exec(message, options);
  };
  const opened_ = { pool: pool(pglite), pglite };
  opened.push(opened_);
  return { ...opened_, calls };
}

afterEach(async () => {
  for (const { pool, pglite } of opened.splice(0)) {
    await pool.end();
    await pglite.close();
  }
});

const insert = (id: string) => ({
  name: 'insert-t',
  text: 'insert into t (id, qty, doc, at, tags) values ($1, $2, $3, $4, $5) returning *',
  values: [id, '12.345', JSON.stringify({ side: 'buy', n: 1 }), '2024-03-12T14:30:00Z', ['a', 'b']],
});

describe('pglitePool', () => {
  it('asks PGlite to sync its file system after each call unless told it need not (Node’s and memory’s)', async () => {
    const syncs = async (options?: { syncToFs: boolean }) => {
      const { pool, pglite } = await open((p) => pglitePool(p, options));
      let count = 0;
      const sync = pglite.syncToFs.bind(pglite);
      pglite.syncToFs = () => {
        count += 1;
        return sync();
      };
      await pool.query(insert('a'));
      await pool.query(insert('b'));
      const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from t');
      expect(rows).toEqual([{ n: 2 }]);
      return count;
    };
    expect(await syncs()).toBe(3);
    expect(await syncs({ syncToFs: false })).toBe(0);
  });

  it('runs a prepared statement, parse to sync, in one call into PGlite', async () => {
    const { pool, calls } = await open();
    await pool.query(insert('a'));
    await pool.query(insert('b')); // prepared already: bind, execute and sync
    expect(calls).toHaveLength(2);
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from t');
    expect(rows).toEqual([{ n: 2 }]);
    expect(calls).toHaveLength(3);
  });

  it('answers exactly what PGlite’s own adapter answers', async () => {
    const ours = await open();
    const theirs = await open((pglite) => new pg.Pool({ ...createPgConfig(pglite), max: 1 }));
    for (const { pool } of [ours, theirs]) {
      await pool.query(insert('a'));
      await pool.query(insert('b'));
    }
    const read = (pool: pg.Pool) =>
      pool.query({ text: 'select * from t where qty > $1 order by id', values: ['1'] });
    const [mine, reference] = await Promise.all([read(ours.pool), read(theirs.pool)]);
    expect(mine.rows).toEqual(reference.rows);
    expect(mine.rows[0]).toEqual({
      id: 'a',
      qty: '12.345',
      doc: { side: 'buy', n: 1 },
      at: new Date('2024-03-12T14:30:00Z'),
      tags: ['a', 'b'],
    });
    expect(mine.fields.map((f) => f.name)).toEqual(reference.fields.map((f) => f.name));
  });

  it('fails only the statement that failed, and the connection goes on', async () => {
    const { pool } = await open();
    await pool.query(insert('a'));
    await expect(pool.query(insert('a'))).rejects.toMatchObject({ code: '23505' });
    // A failed transaction rolls back whole, on the same (only) connection.
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(insert('b'));
      await expect(client.query(insert('a'))).rejects.toMatchObject({ code: '23505' });
      await expect(client.query('select 1')).rejects.toMatchObject({ code: '25P02' });
      await client.query('rollback');
    } finally {
      client.release();
    }
    const { rows } = await pool.query<{ id: string }>('select id from t order by id');
    expect(rows).toEqual([{ id: 'a' }]);
  });

  it('keeps answers in order when many queries are in flight at once', async () => {
    const { pool } = await open();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        pool.query<{ n: number }>({ name: 'echo', text: 'select $1::int as n', values: [i] }),
      ),
    );
    expect(results.map((r) => r.rows[0]?.n)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('passes notices on', async () => {
    const { pool } = await open();
    const client = await pool.connect();
    const notices: string[] = [];
    client.on('notice', (notice) => notices.push(notice.message ?? ''));
    try {
      await client.query(`do $$ begin raise notice 'heads up'; end $$`);
    } finally {
      client.release();
    }
    expect(notices).toEqual(['heads up']);
  });
});
