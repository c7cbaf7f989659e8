import { z } from 'zod';
import { BrokerChoice } from '../../contracts/trading.js';
import type { FillModel, RiskLimits, TradeUpdate } from '../../core/trading/index.js';
import type { TradingAccount } from './trading-account.js';
import { WireValue, fromWire, toWire } from './paper-wire.js';

/** The {@link TradingAccount} methods a node forwards to the owner of paper trading. */
export const ACCOUNT_METHODS = [
  'details',
  'placeOrder',
  'listOrders',
  'getOrder',
  'getOrderByClientId',
  'legsOf',
  'replaceOrder',
  'cancelOrder',
  'cancelAllOrders',
  'positions',
  'closePosition',
  'closeAllPositions',
  'fills',
  'portfolioHistory',
] as const satisfies readonly Exclude<keyof TradingAccount, 'broker' | 'live'>[];

/** A forwarded account method. */
export type AccountMethod = (typeof ACCOUNT_METHODS)[number];

/** A paper settings change (see TradingService.configure). */
export interface SettingsPatch {
  readonly fillModel?: FillModel;
  readonly riskLimits?: RiskLimits;
}

/** What a node asks the owner of paper trading to do. */
export type PaperCommand =
  | {
      readonly op: 'account';
      readonly userId: string;
      readonly method: AccountMethod;
      readonly args: unknown[];
    }
  | { readonly op: 'record'; readonly userId: string }
  | { readonly op: 'configure'; readonly userId: string; readonly patch: SettingsPatch }
  | { readonly op: 'kill_switch'; readonly active: boolean };

/** What every node hears from another: the owner's trade updates and kill switch, any node's broker choices. */
export type PaperBroadcast =
  | {
      readonly kind: 'trade_update';
      readonly from: string;
      readonly userId: string;
      readonly update: TradeUpdate;
    }
  | { readonly kind: 'kill_switch'; readonly from: string; readonly active: boolean }
  /** A user's broker choice changed on the sending node (the owner opens the connection of one on Alpaca). */
  | {
      readonly kind: 'broker_chosen';
      readonly from: string;
      readonly userId: string;
      readonly broker: BrokerChoice;
    };

const UserId = z.string().min(1).max(200);

const CommandWire = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('account'),
    userId: UserId,
    method: z.enum(ACCOUNT_METHODS),
    args: z.array(WireValue),
  }),
  z.object({ op: z.literal('record'), userId: UserId }),
  z.object({
    op: z.literal('configure'),
    userId: UserId,
    patch: z.object({ fillModel: WireValue.optional(), riskLimits: WireValue.optional() }),
  }),
  z.object({ op: z.literal('kill_switch'), active: z.boolean() }),
]);

const ReplyWire = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: WireValue }),
  z.object({ ok: z.literal(false), error: WireValue }),
]);

const BroadcastWire = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('trade_update'),
    from: z.string(),
    userId: UserId,
    update: WireValue,
  }),
  z.object({ kind: z.literal('kill_switch'), from: z.string(), active: z.boolean() }),
  z.object({ kind: z.literal('broker_chosen'), from: z.string(), userId: UserId, broker: BrokerChoice }),
]);

/** The parts of a trade update every listener relies on, checked once decoded. */
const TradeUpdateShape = z
  .object({
    event: z.string(),
    timestamp: z.number(),
    order: z.object({ id: z.string(), symbol: z.string() }).loose(),
  })
  .loose();

const text = (value: unknown) => JSON.stringify(toWire(value));

/** The text of a command. */
export function encodeCommand(command: PaperCommand): string {
  return text(command);
}

/** Reads a command; throws when the text is not one. */
export function decodeCommand(body: string): PaperCommand {
  const wire = CommandWire.parse(JSON.parse(body));
  switch (wire.op) {
    case 'account':
      return { ...wire, args: wire.args.map(fromWire) };
    case 'configure':
      return {
        ...wire,
        patch: {
          ...(wire.patch.fillModel !== undefined && {
            fillModel: fromWire(wire.patch.fillModel) as FillModel,
          }),
          ...(wire.patch.riskLimits !== undefined && {
            riskLimits: fromWire(wire.patch.riskLimits) as RiskLimits,
          }),
        },
      };
    default:
      return wire;
  }
}

/** The text of a reply: the command's result, or the error it threw. */
export function encodeReply(outcome: { ok: true; result: unknown } | { ok: false; error: unknown }): string {
  if (outcome.ok) return text(outcome);
  const error = outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
  return text({ ok: false, error });
}

/** Reads a reply: returns the result, or throws the owner's error (same class, code and message). */
export function decodeReply(body: string): unknown {
  const wire = ReplyWire.parse(JSON.parse(body));
  if (wire.ok) return fromWire(wire.result);
  const error = fromWire(wire.error);
  throw error instanceof Error ? error : new Error('the owner of paper trading failed');
}

/** The text of a broadcast. */
export function encodeBroadcast(message: PaperBroadcast): string {
  return text(message);
}

/** Reads a broadcast; throws when the text is not one. */
export function decodeBroadcast(body: string): PaperBroadcast {
  const wire = BroadcastWire.parse(JSON.parse(body));
  if (wire.kind !== 'trade_update') return wire;
  return { ...wire, update: TradeUpdateShape.parse(fromWire(wire.update)) as unknown as TradeUpdate };
}
