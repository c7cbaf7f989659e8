export { AlpacaError } from './alpaca-error.js';
export { type SimFaults } from './faults.js';
export { type SimServer, type SimServerOptions, buildSimServer } from './sim-server.js';
export { STREAM_FEEDS } from './stream.js';
export { type BrokerMarket, type SimAccount, SimAccounts } from './sim-accounts.js';
