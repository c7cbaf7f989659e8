import type { ColumnType, Kysely } from 'kysely';
import type { BrokerChoice } from '../../../contracts/trading.js';
import type { BrokerChoiceStore } from '../../trading/broker-connection.js';
import type { Database } from './schema.js';

/** `trading_broker_choices` (migration 0100). */
interface TradingBrokerChoicesTable {
  user_id: string;
  broker: string;
  updated_at: ColumnType<Date, Date | string, Date | string>;
}

type Tables = { trading_broker_choices: TradingBrokerChoicesTable };

const asChoice = (text: string): BrokerChoice => (text === 'alpaca' ? 'alpaca' : 'paper');

/** Which broker each user trades through, in SQL. */
export class SqlBrokerChoiceStore implements BrokerChoiceStore {
  private readonly db: Kysely<Database & Tables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<Tables>();
  }

  async get(userId: string): Promise<BrokerChoice | null> {
    const row = await this.db
      .selectFrom('trading_broker_choices')
      .select('broker')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? asChoice(row.broker) : null;
  }

  async set(userId: string, broker: BrokerChoice, at: Date): Promise<void> {
    await this.db
      .insertInto('trading_broker_choices')
      .values({ user_id: userId, broker, updated_at: at })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ broker, updated_at: at }))
      .execute();
  }

  async usersOf(broker: BrokerChoice): Promise<string[]> {
    const rows = await this.db
      .selectFrom('trading_broker_choices')
      .select('user_id')
      .where('broker', '=', broker)
      .execute();
    return rows.map((r) => r.user_id);
  }
}
