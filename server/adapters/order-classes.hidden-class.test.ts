import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const module = (file: string) => JSON.stringify(path.join(root, file));

/**
 * Orders are built in three places: core's createOrders (placed here), the SQL store's row mapping (read back) and
 * the Alpaca adapter (from Alpaca's JSON). Each is one object literal; when all three list Order's fields in one
 * order, V8 gives their orders one hidden class, and the engine's and presenters' reads of an order stay
 * monomorphic whichever way it came. A field added or moved in one of them splits the class; this test says so.
 * Runs in a node of its own with V8's natives syntax.
 */
const SCRIPT = `
import { createOrders, validateOrder, presentOrder } from ${module('core/trading/index.ts')};
import { orderFromRow, orderToRow } from ${module('server/adapters/db/sql-order-store.ts')};
import { toOrder } from ${module('server/adapters/brokers/alpaca/to-domain.ts')};
import { WireOrder } from ${module('server/adapters/brokers/alpaca/wire.ts')};
const r = validateOrder({ symbol: 'INTC', side: 'buy', type: 'limit', timeInForce: 'day', qty: '1', limitPrice: '20.00', clientOrderId: null });
if (!r.ok) throw new Error(JSON.stringify(r));
const [placed] = createOrders(r.value, { id: 'o1', clientOrderId: 'c1', newId: () => 'leg' }, 1_700_000_000_000);
const row = orderToRow('acct', placed);
const stored = orderFromRow({ ...row, asset_class: 'us_equity', legs: [...row.legs], commission: String(row.commission) });
const fromAlpaca = toOrder(WireOrder.parse(JSON.parse(JSON.stringify(presentOrder(placed)))));
process.stdout.write(JSON.stringify({
  sameFields: JSON.stringify(Object.keys(stored)) === JSON.stringify(Object.keys(placed)) &&
    JSON.stringify(Object.keys(fromAlpaca)) === JSON.stringify(Object.keys(placed)),
  storedLikePlaced: %HaveSameMap(placed, stored),
  alpacaLikePlaced: %HaveSameMap(placed, fromAlpaca),
}));
`;

describe('orders built by core, the SQL store and the Alpaca adapter', () => {
  it('share one hidden class', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '--eval', SCRIPT],
      { timeout: 20_000, cwd: root },
    );
    expect(JSON.parse(stdout)).toEqual({ sameFields: true, storedLikePlaced: true, alpacaLikePlaced: true });
  });
});
