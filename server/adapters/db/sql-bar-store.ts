import type { Kysely } from 'kysely';
import type { Bar, BarStore } from '../../../core/market-data/index.js';
import type { Database } from './schema.js';

// PostgreSQL allows 65,535 parameters per statement; 11 columns a row.
const ROWS_PER_INSERT = 2_000;

/** BarStore over the `bars` table (PGlite or PostgreSQL). */
export class SqlBarStore implements BarStore {
  constructor(private readonly db: Kysely<Database>) {}

  async upsert(timeframe: string, bars: readonly Bar[]): Promise<void> {
    for (let i = 0; i < bars.length; i += ROWS_PER_INSERT) {
      const rows = bars.slice(i, i + ROWS_PER_INSERT).map((b) => ({
        symbol: b.symbol,
        timeframe,
        t: new Date(b.t),
        o: b.o,
        h: b.h,
        l: b.l,
        c: b.c,
        v: b.v,
        n: b.n,
        vw: b.vw,
        extended: b.extended,
      }));
      await this.db
        .insertInto('bars')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['symbol', 'timeframe', 't']).doUpdateSet((eb) => ({
            o: eb.ref('excluded.o'),
            h: eb.ref('excluded.h'),
            l: eb.ref('excluded.l'),
            c: eb.ref('excluded.c'),
            v: eb.ref('excluded.v'),
            n: eb.ref('excluded.n'),
            vw: eb.ref('excluded.vw'),
            extended: eb.ref('excluded.extended'),
          })),
        )
        .execute();
    }
  }

  async read(symbol: string, timeframe: string, start: number, end: number): Promise<Bar[]> {
    const rows = await this.db
      .selectFrom('bars')
      .selectAll()
      .where('symbol', '=', symbol)
      .where('timeframe', '=', timeframe)
      .where('t', '>=', new Date(start))
      .where('t', '<', new Date(end))
      .orderBy('t')
      .execute();
    return rows.map((r) => ({
      symbol: r.symbol,
      t: r.t.getTime(),
      o: r.o,
      h: r.h,
      l: r.l,
      c: r.c,
      v: Number(r.v),
      n: r.n,
      vw: r.vw,
      extended: r.extended,
    }));
  }
}
