import pg from 'pg';
import type { LeaderLock } from '../../ops/ops-ports.js';

/**
 * A session-level PostgreSQL advisory lock on its own connection: held while the connection lives,
 * released by PostgreSQL itself if this node dies, so a standby takes over at its next poll.
 */
export class PostgresAdvisoryLock implements LeaderLock {
  private client: pg.Client | undefined;
  private held = false;

  constructor(
    private readonly url: string,
    /** The lock's key: one per singleton. */
    private readonly key: number,
  ) {}

  async acquire(): Promise<boolean> {
    if (this.client && this.held) {
      try {
        await this.client.query('select 1');
        return true;
      } catch {
        await this.drop();
      }
    }
    if (!this.client) {
      const client = new pg.Client({
        connectionString: this.url,
        connectionTimeoutMillis: 5_000,
        application_name: 'pulse-leader',
      });
      client.on('error', () => {
        this.held = false;
      });
      await client.connect();
      this.client = client;
    }
    const result = await this.client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [
      this.key,
    ]);
    this.held = result.rows[0]?.locked === true;
    return this.held;
  }

  async release(): Promise<void> {
    if (this.client && this.held)
      await this.client.query('select pg_advisory_unlock($1)', [this.key]).catch(() => undefined);
    await this.drop();
  }

  private async drop(): Promise<void> {
    this.held = false;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

/** The advisory-lock key of Pulse's ops singletons (monitors, alerting, retention). */
export const OPS_LEADER_KEY = 0x5055_4c53;
