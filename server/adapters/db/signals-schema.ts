import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint comes back from node-postgres as a string. */
type BigIntColumn = ColumnType<string, number | string, number | string>;
type NullableBigInt = ColumnType<string | null, number | string | null, number | string | null>;
type NullableTimestamptz = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** The signals and backtests tables (migrations 0010 and 0011), joined with `db.withTables<SignalsTables>()`. */
export type SignalsTables = {
  signals: {
    id: string;
    user_id: string;
    name: string;
    source: string;
    symbols: string[];
    timeframe: string;
    mode: 'once' | 'once_per_bar' | 'every_time';
    cooldown_bars: number;
    expires_at: NullableBigInt;
    /** SignalActions as JSON text. */
    actions: string;
    enabled: boolean;
    created_at: CreatedAt;
    updated_at: UpdatedAt;
  };
  signal_cursors: {
    signal_id: string;
    symbol: string;
    /** FiringState as JSON text. */
    firing_state: string;
    last_bar_time: NullableBigInt;
  };
  signal_firings: {
    id: string;
    signal_id: string;
    user_id: string;
    symbol: string;
    timeframe: string;
    bar_time: BigIntColumn;
    bar: string;
    values: string;
    fired_at: ColumnType<Date, Date | string, never>;
    catch_up: boolean;
    /** FiringOrder as JSON text, or null when the signal places no order. */
    order_result: string | null;
  };
  backtests: {
    id: string;
    user_id: string;
    status: 'queued' | 'running' | 'done' | 'failed' | 'canceled';
    progress: number;
    request: string;
    result: string | null;
    error: string | null;
    created_at: ColumnType<Date, Date | string, never>;
    started_at: NullableTimestamptz;
    finished_at: NullableTimestamptz;
  };
};
