export {
  type AccountKind,
  type AccountSnapshot,
  type Marks,
  type PositionSnapshot,
  AccountLedger,
  netOfHeldBuyingPower,
  PDT_MIN_EQUITY,
} from './account/account-ledger.js';
export { DayTradeCounter, PDT_DAY_TRADES } from './account/day-trades.js';
export { type Position, type PositionChange, applyFill, flatPosition } from './account/position.js';
export {
  type AlpacaOrderJson,
  presentAccount,
  presentOrder,
  presentPosition,
  presentTradeUpdate,
} from './alpaca-json.js';
export { type Broker, type CancelResult, type TradeUpdate } from './broker.js';
export { type NewOrderIds, createOrders } from './create-order.js';
export { InMemoryOrderStore, filterOrders } from './in-memory-order-store.js';
export { type EngineOutput, type Fill, type OrderUpdate, type TradeUpdateEvent } from './matching/fill.js';
export {
  type CommissionSchedule,
  type FillModel,
  DEFAULT_FILL_MODEL,
  commissionFor,
  fillModel,
  takerPrice,
} from './matching/fill-model.js';
export { type MatchingEngineOptions, MatchingEngine } from './matching/matching-engine.js';
export { replacementOf } from './matching/replace.js';
export { canExecute, expiryOf, timeInForceWindowRefusal } from './matching/session-rules.js';
export { limitReached, marketable, stopTriggered, trailStop } from './matching/triggers.js';
export {
  type LegRole,
  type Order,
  type OrderClass,
  type OrderSide,
  type OrderStatus,
  type OrderType,
  type TimeInForce,
  ORDER_CLASSES,
  ORDER_SIDES,
  ORDER_STATUSES,
  ORDER_TYPES,
  TERMINAL_STATUSES,
  TIME_IN_FORCES,
  isOpen,
} from './order.js';
export {
  type DecimalInput,
  type NewOrderRequest,
  type OrderSpec,
  type ReplaceOrderRequest,
  specFingerprint,
} from './order-request.js';
export { type OrderEvent, STATUS_MOVES, canMove, transition } from './order-status.js';
export { type OrderFilter, type OrderStore } from './order-store.js';
export { type PaperBrokerOptions, PaperBroker } from './paper-broker.js';
export { orderFingerprint, placeOrder } from './place-order.js';
export { type Checked, type Refusal, refuse, refusalError } from './refusal.js';
export { type RiskContext, checkOrder, reservedBuyingPower, valuationPrice } from './risk/check-order.js';
export { type RiskLimits, DEFAULT_RISK_LIMITS, ordersToCancel, riskLimits } from './risk/risk-limits.js';
export { isValidIncrement, validateOrder } from './validate-order.js';
