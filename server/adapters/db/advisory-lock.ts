import pg from 'pg';
import type { LeaderLock } from '../../ops/ops-ports.js';
import type { OwnerLock } from '../../trading/paper-cluster.js';

/** Options of {@link PostgresAdvisoryLock}. */
export interface AdvisoryLockOptions {
  /** How long a held lock's check (`select 1`) may take before the lock counts as lost; 2 s by default. */
  readonly checkTimeoutMs?: number;
  /** The connection's application_name, as PostgreSQL's pg_stat_activity shows it. */
  readonly applicationName?: string;
}

/**
 * A session-level PostgreSQL advisory lock (`pg_try_advisory_lock`) on its own connection: held while the
 * connection lives, released by PostgreSQL itself if this node dies, so a standby takes it at its next try.
 * The holder hears of a lost connection at once (`onLost`), and each `acquire` while held confirms the
 * connection answers within `checkTimeoutMs`. One key per singleton (the ops leader, the paper owner).
 */
export class PostgresAdvisoryLock implements LeaderLock, OwnerLock {
  private client: pg.Client | undefined;
  private held = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly url: string,
    private readonly key: number,
    private readonly options: AdvisoryLockOptions = {},
  ) {}

  async acquire(): Promise<boolean> {
    if (this.client && this.held) {
      try {
        await this.client.query('select 1');
        return true;
      } catch {
        this.lose();
        return false;
      }
    }
    if (!this.client) {
      const client = new pg.Client({
        connectionString: this.url,
        connectionTimeoutMillis: 5_000,
        query_timeout: this.options.checkTimeoutMs ?? 2_000,
        keepAlive: true,
        application_name: this.options.applicationName ?? 'pulse-lock',
      });
      client.on('error', () => this.lose(client));
      client.on('end', () => this.lose(client));
      this.client = client;
      try {
        await client.connect();
      } catch (error) {
        this.client = undefined;
        await client.end().catch(() => undefined);
        throw error;
      }
    }
    const result = await this.client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [
      this.key,
    ]);
    this.held = result.rows[0]?.locked === true;
    return this.held;
  }

  onLost(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client && this.held)
      await client.query('select pg_advisory_unlock($1)', [this.key]).catch(() => undefined);
    this.held = false;
    await client?.end().catch(() => undefined);
  }

  /** The connection failed or ended: whatever it held is gone (PostgreSQL frees it with the session). */
  private lose(client = this.client): void {
    if (client !== this.client) return;
    const wasHeld = this.held;
    this.held = false;
    this.client = undefined;
    void client?.end().catch(() => undefined);
    if (wasHeld) for (const listener of this.listeners) listener();
  }
}

/** The advisory-lock key of Pulse's ops singletons (monitors, alerting, retention). */
export const OPS_LEADER_KEY = 0x5055_4c53;
