import { type Kysely, sql } from 'kysely';

/**
 * The order path in fewer round trips (bench/trading/order-ack.ts):
 * - `pulse_audit_append`: appends audit events to the hash chain in one statement, inside the caller's
 *   transaction (an order and its audit rows commit together). It takes the same advisory lock as
 *   SqlAuditLog.record, reads the last hash after the lock (each PL/pgSQL statement takes a new snapshot),
 *   and computes exactly `chainHash` of server/accounts/audit-chain.ts: sha256 of the previous hash and
 *   the canonical JSON array, whose tail after the id (`"<at>",<actor>,…]`) the caller supplies.
 * - an index on trading_fills(order_id), the foreign key every fill carries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function pulse_audit_append(
      p_at timestamptz[], p_actor text[], p_action text[], p_ip text[], p_detail text[], p_tail text[]
    ) returns void language plpgsql as $fn$
    declare
      prev text;
      next_id bigint;
      next_hash text;
    begin
      perform pg_advisory_xact_lock(7406221813);
      select hash into prev from audit_log order by id desc limit 1;
      prev := coalesce(prev, '');
      for i in 1 .. coalesce(array_length(p_tail, 1), 0) loop
        next_id := nextval('audit_log_id_seq');
        next_hash := encode(sha256(convert_to(prev || '["' || next_id::text || '",' || p_tail[i], 'UTF8')), 'hex');
        insert into audit_log (id, at, actor_id, action, ip, detail, prev_hash, hash)
          values (next_id, p_at[i], p_actor[i], p_action[i], p_ip[i], p_detail[i], prev, next_hash);
        prev := next_hash;
      end loop;
    end
    $fn$`.execute(db);
  await db.schema.createIndex('trading_fills_order').on('trading_fills').column('order_id').execute();
}
