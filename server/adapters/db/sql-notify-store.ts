import { type ColumnType, type Kysely, type Selectable, sql } from 'kysely';
import type { ChannelType, DeliveryStatus, QuietHours, Urgency } from '../../../contracts/notify.js';
import type {
  ChannelConfig,
  ChannelRecord,
  DeliveryPatch,
  DeliveryRecord,
  ChannelSecretVault,
  InboxRecord,
  NotifyStore,
} from '../../notify/notify-store.js';
import type { Database } from './schema.js';

type Timestamptz = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamptz = ColumnType<Date | null, Date | string | null, Date | string | null>;

/** The notification tables (migration 0020-notify). */
export type NotifyTables = {
  notify_channels: {
    id: string;
    user_id: string;
    type: ChannelType;
    name: string;
    enabled: boolean;
    /** ChannelConfig as JSON text. */
    config: string;
    created_at: ColumnType<Date, Date | string | undefined, never>;
  };
  notify_deliveries: {
    id: string;
    user_id: string;
    channel_id: string | null;
    channel_type: ChannelType;
    status: DeliveryStatus;
    title: string;
    body: string;
    url: string | null;
    urgency: Urgency;
    dedupe_key: string | null;
    attempts: number;
    next_attempt_at: NullableTimestamptz;
    last_error: string | null;
    created_at: Timestamptz;
    updated_at: Timestamptz;
    delivered_at: NullableTimestamptz;
  };
  notify_inbox: {
    id: string;
    user_id: string;
    delivery_id: string | null;
    title: string;
    body: string;
    url: string | null;
    urgency: Urgency;
    created_at: Timestamptz;
    read_at: NullableTimestamptz;
  };
  notify_quiet_hours: {
    user_id: string;
    enabled: boolean;
    time_zone: string;
    start_time: string;
    end_time: string;
  };
};

type Db = Kysely<Database & NotifyTables>;

type ChannelRow = Selectable<NotifyTables['notify_channels']>;

/** Channel types whose config is a credential (a secret, a capability URL, a password, push keys). */
const SEALED_TYPES: ReadonlySet<ChannelConfig['type']> = new Set(['slack', 'webhook', 'sms', 'web_push']);
const vaultKind = (channelId: string) => `notify-channel/${channelId}`;

function toDelivery(row: Selectable<NotifyTables['notify_deliveries']>): DeliveryRecord {
  return {
    id: row.id,
    userId: row.user_id,
    channelId: row.channel_id,
    channelType: row.channel_type,
    status: row.status,
    title: row.title,
    body: row.body,
    url: row.url,
    urgency: row.urgency,
    dedupeKey: row.dedupe_key,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deliveredAt: row.delivered_at,
  };
}

function toInbox(row: Selectable<NotifyTables['notify_inbox']>): InboxRecord {
  return {
    id: row.id,
    userId: row.user_id,
    deliveryId: row.delivery_id,
    title: row.title,
    body: row.body,
    url: row.url,
    urgency: row.urgency,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

/**
 * NotifyStore over the notify_* tables (PGlite or PostgreSQL). With a vault, credentialed channel
 * configs (Slack URLs, webhook secrets, SMS passwords, push subscriptions) are sealed in it and the
 * row keeps only `{"type":…,"sealed":true}`; without one (tests) they are stored as JSON text.
 */
export class SqlNotifyStore implements NotifyStore {
  private readonly db: Db;

  constructor(
    db: Kysely<Database>,
    private readonly vault?: ChannelSecretVault,
  ) {
    this.db = db.withTables<NotifyTables>();
  }

  private async toChannel(row: ChannelRow): Promise<ChannelRecord> {
    const stored = JSON.parse(row.config) as ChannelConfig | { type: ChannelType; sealed: true };
    let config: ChannelConfig;
    if ('sealed' in stored) {
      const opened = await this.vault?.get(row.user_id, vaultKind(row.id));
      if (!opened) throw new Error(`the sealed config of channel ${row.id} cannot be opened`);
      config = JSON.parse(opened.plaintext) as ChannelConfig;
    } else {
      config = stored;
    }
    return {
      id: row.id,
      userId: row.user_id,
      name: row.name,
      enabled: row.enabled,
      config,
      createdAt: row.created_at,
    };
  }

  async listChannels(userId: string): Promise<ChannelRecord[]> {
    const rows = await this.db
      .selectFrom('notify_channels')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return Promise.all(rows.map((row) => this.toChannel(row)));
  }

  async getChannel(userId: string, id: string): Promise<ChannelRecord | undefined> {
    const row = await this.db
      .selectFrom('notify_channels')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && this.toChannel(row);
  }

  async findChannel(id: string): Promise<ChannelRecord | undefined> {
    const row = await this.db
      .selectFrom('notify_channels')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && this.toChannel(row);
  }

  async insertChannel(c: ChannelRecord): Promise<void> {
    let config = JSON.stringify(c.config);
    if (this.vault && SEALED_TYPES.has(c.config.type)) {
      await this.vault.put(c.userId, vaultKind(c.id), config, { type: c.config.type }, c.createdAt);
      config = JSON.stringify({ type: c.config.type, sealed: true });
    }
    await this.db
      .insertInto('notify_channels')
      .values({
        id: c.id,
        user_id: c.userId,
        type: c.config.type,
        name: c.name,
        enabled: c.enabled,
        config,
        created_at: c.createdAt,
      })
      // Two racing first reads of an in-app channel: the unique index keeps one.
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async updateChannel(
    userId: string,
    id: string,
    patch: { name?: string; enabled?: boolean },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('notify_channels')
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.enabled !== undefined && { enabled: patch.enabled }),
      })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async deleteChannel(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('notify_channels')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    const deleted = result.numDeletedRows > 0n;
    if (deleted) await this.vault?.delete(userId, vaultKind(id));
    return deleted;
  }

  async insertDeliveries(deliveries: readonly DeliveryRecord[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.db
      .insertInto('notify_deliveries')
      .values(
        deliveries.map((d) => ({
          id: d.id,
          user_id: d.userId,
          channel_id: d.channelId,
          channel_type: d.channelType,
          status: d.status,
          title: d.title,
          body: d.body,
          url: d.url,
          urgency: d.urgency,
          dedupe_key: d.dedupeKey,
          attempts: d.attempts,
          next_attempt_at: d.nextAttemptAt,
          last_error: d.lastError,
          created_at: d.createdAt,
          updated_at: d.updatedAt,
          delivered_at: d.deliveredAt,
        })),
      )
      .execute();
  }

  async updateDelivery(id: string, patch: DeliveryPatch, at: Date): Promise<void> {
    await this.db
      .updateTable('notify_deliveries')
      .set({
        updated_at: at,
        ...(patch.status !== undefined && { status: patch.status }),
        ...(patch.attempts !== undefined && { attempts: patch.attempts }),
        ...(patch.nextAttemptAt !== undefined && { next_attempt_at: patch.nextAttemptAt }),
        ...(patch.lastError !== undefined && { last_error: patch.lastError }),
        ...(patch.deliveredAt !== undefined && { delivered_at: patch.deliveredAt }),
      })
      .where('id', '=', id)
      .execute();
  }

  async getDelivery(userId: string, id: string): Promise<DeliveryRecord | undefined> {
    const row = await this.db
      .selectFrom('notify_deliveries')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toDelivery(row);
  }

  async listDeliveries(
    userId: string,
    query: { limit: number; before?: Date; channelId?: string; status?: DeliveryStatus },
  ): Promise<DeliveryRecord[]> {
    let select = this.db.selectFrom('notify_deliveries').selectAll().where('user_id', '=', userId);
    if (query.before) select = select.where('created_at', '<', query.before);
    if (query.channelId) select = select.where('channel_id', '=', query.channelId);
    if (query.status) select = select.where('status', '=', query.status);
    const rows = await select
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit)
      .execute();
    return rows.map(toDelivery);
  }

  async resumable(limit: number, except: ReadonlySet<string>): Promise<DeliveryRecord[]> {
    if (limit <= 0) return [];
    let select = this.db
      .selectFrom('notify_deliveries')
      .selectAll()
      .where('status', 'in', ['queued', 'sending']);
    if (except.size > 0) select = select.where('id', 'not in', [...except]);
    const rows = await select.orderBy('created_at').orderBy('id').limit(limit).execute();
    return rows.map(toDelivery);
  }

  async releaseHeld(now: Date, limit: number): Promise<DeliveryRecord[]> {
    if (limit <= 0) return [];
    // One statement claims them, so two sweeps (or two nodes) never release the same delivery twice.
    const rows = await this.db
      .updateTable('notify_deliveries')
      .set({ status: 'queued', next_attempt_at: null, last_error: null, updated_at: now })
      .where(
        'id',
        'in',
        this.db
          .selectFrom('notify_deliveries')
          .select('id')
          .where('status', '=', 'held')
          .where('next_attempt_at', '<=', now)
          .orderBy('next_attempt_at')
          .limit(limit),
      )
      .where('status', '=', 'held')
      .returningAll()
      .execute();
    return rows.map(toDelivery);
  }

  async hasDedupeKey(userId: string, dedupeKey: string, since: Date): Promise<boolean> {
    const row = await this.db
      .selectFrom('notify_deliveries')
      .select('id')
      .where('user_id', '=', userId)
      .where('dedupe_key', '=', dedupeKey)
      .where('created_at', '>=', since)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async insertInboxItem(item: InboxRecord): Promise<void> {
    await this.db
      .insertInto('notify_inbox')
      .values({
        id: item.id,
        user_id: item.userId,
        delivery_id: item.deliveryId,
        title: item.title,
        body: item.body,
        url: item.url,
        urgency: item.urgency,
        created_at: item.createdAt,
        read_at: item.readAt,
      })
      .onConflict((oc) => oc.column('delivery_id').doNothing())
      .execute();
  }

  async listInbox(userId: string, query: { limit: number; unreadOnly: boolean }): Promise<InboxRecord[]> {
    let select = this.db.selectFrom('notify_inbox').selectAll().where('user_id', '=', userId);
    if (query.unreadOnly) select = select.where('read_at', 'is', null);
    const rows = await select
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit)
      .execute();
    return rows.map(toInbox);
  }

  async unreadCount(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('notify_inbox')
      .select(sql<string>`count(*)`.as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async markRead(userId: string, ids: readonly string[] | 'all', at: Date): Promise<void> {
    let update = this.db
      .updateTable('notify_inbox')
      .set({ read_at: at })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null);
    if (ids !== 'all') {
      if (ids.length === 0) return;
      update = update.where('id', 'in', [...ids]);
    }
    await update.execute();
  }

  async getQuietHours(userId: string): Promise<QuietHours | undefined> {
    const row = await this.db
      .selectFrom('notify_quiet_hours')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && { enabled: row.enabled, timeZone: row.time_zone, start: row.start_time, end: row.end_time };
  }

  async setQuietHours(userId: string, q: QuietHours): Promise<void> {
    const values = { enabled: q.enabled, time_zone: q.timeZone, start_time: q.start, end_time: q.end };
    await this.db
      .insertInto('notify_quiet_hours')
      .values({ user_id: userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
  }
}
