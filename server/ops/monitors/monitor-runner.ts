import type { LeaderLock, MonitorContext, MonitorRecord, MonitorStore } from '../ops-ports.js';
import { runCheck } from './checks/run-check.js';
import { type MonitorState, nextState } from './monitor-state.js';

/** A monitor went down (after its retries) or came back up. */
export interface MonitorTransition {
  monitor: Pick<MonitorRecord, 'id' | 'name' | 'component'>;
  event: 'down' | 'up';
  at: Date;
  detail: string;
}

export interface MonitorRunnerOptions {
  store: MonitorStore;
  lock: LeaderLock;
  context: MonitorContext;
  onTransition?: (transition: MonitorTransition) => void;
  log?: (error: unknown, message: string) => void;
  /** How often a follower asks for the lock and the leader confirms it (default 15 s). */
  leaderPollMs?: number;
  /** How often the leader prunes old results (default hourly). */
  retentionEveryMs?: number;
  now?: () => number;
}

const HOUR = 3_600_000;
/** Raw results are kept 48 h; hourly rollups 90 d. */
export const RETENTION = { rawMs: 48 * HOUR, hourlyMs: 90 * 24 * HOUR } as const;

interface Scheduled {
  record: MonitorRecord;
  state: MonitorState;
  timer: NodeJS.Timeout | undefined;
  generation: number;
}

/**
 * Runs every enabled monitor on its interval, on one node only: the holder of the leader lock.
 * Results go to the store; changes of state (down after the retries, up again) to `onTransition`.
 */
export class MonitorRunner {
  private readonly scheduled = new Map<string, Scheduled>();
  private leader = false;
  private running = false;
  private leaderTimer: NodeJS.Timeout | undefined;
  private lastPrune = 0;
  private generation = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: MonitorRunnerOptions) {}

  /** Whether this node runs the monitors now. */
  get isLeader(): boolean {
    return this.leader;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.pollLeadership();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.leaderTimer);
    this.unscheduleAll();
    await Promise.all([...this.inFlight]);
    if (this.leader) await this.options.lock.release().catch(() => undefined);
    this.leader = false;
  }

  /** Re-reads the monitors (after the admin API changed one). */
  async reload(): Promise<void> {
    if (!this.leader || !this.running) return;
    const monitors = await this.options.store.list();
    const wanted = new Map(monitors.filter((m) => m.enabled).map((m) => [m.id, m]));
    for (const [id, entry] of this.scheduled) {
      const next = wanted.get(id);
      if (
        !next ||
        JSON.stringify(next.check) !== JSON.stringify(entry.record.check) ||
        next.intervalMs !== entry.record.intervalMs
      ) {
        clearTimeout(entry.timer);
        this.scheduled.delete(id);
      } else {
        entry.record = { ...next, status: entry.record.status, failures: entry.record.failures };
      }
    }
    for (const monitor of wanted.values()) if (!this.scheduled.has(monitor.id)) this.schedule(monitor, 0);
  }

  private async pollLeadership(): Promise<void> {
    if (!this.running) return;
    let held = false;
    try {
      held = await this.options.lock.acquire();
    } catch (error) {
      this.options.log?.(error, 'leader lock check failed');
    }
    if (held && !this.leader) {
      this.leader = true;
      await this.reload().catch((error: unknown) => this.options.log?.(error, 'loading monitors failed'));
    } else if (!held && this.leader) {
      this.leader = false;
      this.unscheduleAll();
    }
    if (this.leader) await this.pruneIfDue();
    if (this.running)
      this.leaderTimer = setTimeout(() => void this.pollLeadership(), this.options.leaderPollMs ?? 15_000);
  }

  private async pruneIfDue(): Promise<void> {
    const now = this.now();
    if (now - this.lastPrune < (this.options.retentionEveryMs ?? HOUR)) return;
    this.lastPrune = now;
    await this.options.store
      .prune(new Date(now - RETENTION.rawMs), new Date(now - RETENTION.hourlyMs))
      .catch((error: unknown) => this.options.log?.(error, 'pruning monitor history failed'));
  }

  private unscheduleAll(): void {
    for (const entry of this.scheduled.values()) clearTimeout(entry.timer);
    this.scheduled.clear();
  }

  private schedule(record: MonitorRecord, delayMs: number): void {
    const entry: Scheduled = {
      record,
      state: { status: record.status === 'paused' ? 'pending' : record.status, failures: record.failures },
      timer: undefined,
      generation: ++this.generation,
    };
    this.scheduled.set(record.id, entry);
    entry.timer = setTimeout(() => this.tick(entry), delayMs);
  }

  private tick(entry: Scheduled): void {
    const work = this.checkOnce(entry).finally(() => {
      this.inFlight.delete(work);
      // Rescheduled after the check ends, so a slow target never piles checks up.
      if (this.running && this.leader && this.scheduled.get(entry.record.id)?.generation === entry.generation)
        entry.timer = setTimeout(() => this.tick(entry), entry.record.intervalMs);
    });
    this.inFlight.add(work);
  }

  private async checkOnce(entry: Scheduled): Promise<void> {
    const { record } = entry;
    const outcome = await runCheck(record.check, record.timeoutMs, this.options.context);
    if (this.scheduled.get(record.id)?.generation !== entry.generation) return;
    const next = nextState(entry.state, outcome.ok, record.retries);
    entry.state = { status: next.status, failures: next.failures };
    const at = new Date(this.now());
    try {
      await this.options.store.record({
        monitorId: record.id,
        at,
        ok: outcome.ok,
        latencyMs: outcome.latencyMs,
        detail: outcome.detail,
        status: next.status,
        failures: next.failures,
        changed: next.status !== record.status,
      });
      record.status = next.status;
      record.failures = next.failures;
    } catch (error) {
      this.options.log?.(error, 'recording a check result failed');
    }
    if (next.event)
      this.options.onTransition?.({
        monitor: { id: record.id, name: record.name, component: record.component },
        event: next.event,
        at,
        detail: outcome.detail,
      });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
