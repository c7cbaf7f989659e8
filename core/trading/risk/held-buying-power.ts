import { Money } from '../../kernel/index.js';
import type { Order } from '../order.js';

/** What one open order holds: a fixed amount, plus its unfilled qty at the reference price if `priced`. */
interface Held {
  readonly fixed: Money;
  readonly priced: Order | null;
}

const ZERO = new Money(0);

/** The buying power an open order holds (as reservedBuyingPower values it), or null when it holds none. */
function heldBy(o: Order): Held | null {
  if (o.parentId !== null || o.side !== 'buy') return null;
  const own = o.type === 'trailing_stop' ? null : (o.limitPrice ?? o.stopPrice);
  let fixed = o.notional ?? ZERO;
  if (o.qty && own) fixed = fixed.plus(o.qty.minus(o.filledQty).times(own));
  const priced = o.qty && !own ? o : null;
  return fixed.isZero() && !priced ? null : { fixed, priced };
}

/**
 * The buying power held by an account's open entry orders, kept up to date as orders come, change and
 * go, so a new order costs the few orders valued at the market price rather than every open order.
 * Equal to `reservedBuyingPower` (check-order.ts) over the same open orders (exact: decimals with 40 digits).
 */
export class HeldBuyingPower {
  private fixed = ZERO;
  private readonly byId = new Map<string, Held>();
  private readonly atReference = new Map<string, Order>();

  /** Records that the open order with this id is now `order` (undefined: it is no longer open). */
  set(id: string, order: Order | undefined): void {
    const before = this.byId.get(id);
    if (before) {
      this.fixed = this.fixed.minus(before.fixed);
      this.atReference.delete(id);
      this.byId.delete(id);
    }
    const after = order && heldBy(order);
    if (!after) return;
    this.byId.set(id, after);
    this.fixed = this.fixed.plus(after.fixed);
    if (after.priced) this.atReference.set(id, after.priced);
  }

  /** The total held, valuing market and trailing orders at `reference` (null: they hold nothing). */
  total(reference: (symbol: string) => Money | null): Money {
    let total = this.fixed;
    if (this.atReference.size === 0) return total;
    const references = new Map<string, Money | null>();
    for (const o of this.atReference.values()) {
      let price = references.get(o.symbol);
      if (price === undefined) references.set(o.symbol, (price = reference(o.symbol)));
      if (price && o.qty) total = total.plus(o.qty.minus(o.filledQty).times(price));
    }
    return total;
  }
}
