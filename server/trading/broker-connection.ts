import type { BrokerChoice } from '../../contracts/trading.js';
import type { Broker } from '../../core/trading/index.js';

/** A user's decrypted broker keys and whether they trade paper or real money. */
export interface BrokerKeys {
  readonly keyId: string;
  readonly secretKey: string;
  readonly scope: 'paper' | 'live';
}

/** A broker connection made from a user's keys (built in server/main.ts, which owns the adapters). */
export interface BrokerConnection {
  readonly broker: Broker;
  /** The broker's clock: wall time for Alpaca, the simulated clock against `pulse sim`. */
  readonly now: () => number;
  /** Connects the trade updates stream. */
  start(): Promise<void>;
  /** Closes the stream; the connection is not used again. */
  stop(): void;
}

/** What a connection reports on its own (no request is waiting for it). */
export interface BrokerConnectionEvents {
  /** The broker's stream refused the keys (revoked or regenerated); the stream has stopped. */
  readonly unauthorized: () => void;
}

/** Makes a broker connection from a user's keys. */
export type ConnectBroker = (keys: BrokerKeys, events: BrokerConnectionEvents) => BrokerConnection;

/** Port: which broker each user trades through (absent: the paper simulator). */
export interface BrokerChoiceStore {
  get(userId: string): Promise<BrokerChoice | null>;
  set(userId: string, broker: BrokerChoice, at: Date): Promise<void>;
  /** The users who chose `broker`. */
  usersOf(broker: BrokerChoice): Promise<string[]>;
}
