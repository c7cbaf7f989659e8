export { type AlpacaBrokerOptions, type AlpacaBrokerStats, AlpacaBroker } from './alpaca-broker.js';
export { OrderTracker } from './order-tracker.js';
export { refusalOf } from './refusal-of.js';
export { type TradeUpdatesStreamOptions, TradeUpdatesStream } from './trade-updates-stream.js';
export {
  type TradingRestOptions,
  AlpacaApiError,
  AlpacaTradingRestClient,
  AlpacaUnavailableError,
} from './trading-rest-client.js';
