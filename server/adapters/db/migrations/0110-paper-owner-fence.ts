import { type Kysely, sql } from 'kysely';

/**
 * A fencing token for the owner of paper trading (several nodes on PostgreSQL):
 * - `paper_owner`: one row, the epoch of the current owner. A node that has just taken the owner lock
 *   bumps it before it loads anything (`SqlTradingStore.claimOwnership`).
 * - `pulse_paper_fence(token)`: called inside every order and fill commit of an owner. It takes a share
 *   lock on the row and raises `stale_paper_owner` (SQLSTATE PUL01) when the epoch is no longer `token`.
 *   A claim waits for commits holding the lock, and a commit that waited for a claim sees the new epoch
 *   (READ COMMITTED re-reads a row a concurrent transaction updated), so a node that lost the lock cannot
 *   land a commit its successor did not load. A null token (one node alone) checks nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table paper_owner (id smallint primary key check (id = 1), epoch bigint not null)`.execute(
    db,
  );
  await sql`insert into paper_owner (id, epoch) values (1, 0)`.execute(db);
  await sql`
    create function pulse_paper_fence(token bigint) returns boolean language plpgsql as $fn$
    begin
      if token is null then
        return true;
      end if;
      perform 1 from paper_owner where id = 1 and epoch = token for share;
      if not found then
        raise exception 'stale_paper_owner: epoch % is over', token using errcode = 'PUL01';
      end if;
      return true;
    end
    $fn$`.execute(db);
}
