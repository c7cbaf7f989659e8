import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Runs in a node of its own with V8's natives syntax: builds orders in optimised code (forced, so the test does not
 * depend on warm-up heuristics) and asks V8 whether two orders share a hidden class. Built by spreading a blank
 * order and adding fields, each order got a class of its own once optimised: ~1.2 KB per order instead of ~0.3 KB,
 * and every read of an order's field megamorphic.
 */
const SCRIPT = `
import { createOrders, validateOrder, transition } from ${JSON.stringify(path.join(here, 'index.ts'))};
const spec = (request) => { const r = validateOrder(request); if (!r.ok) throw new Error(JSON.stringify(r)); return r.value; };
const limit = spec({ symbol: 'INTC', side: 'buy', type: 'limit', timeInForce: 'day', qty: '1', limitPrice: '20.00', clientOrderId: null });
const bracket = spec({ symbol: 'INTC', side: 'buy', type: 'limit', timeInForce: 'gtc', qty: '2', limitPrice: '20.00',
  orderClass: 'bracket', takeProfit: { limitPrice: '25.00' }, stopLoss: { stopPrice: '18.00' }, clientOrderId: null });
let n = 0;
const ids = () => ({ id: 'o' + ++n, clientOrderId: 'c' + n, newId: () => 'leg' + ++n });
const build = (s) => createOrders(s, ids(), 1_700_000_000_000 + n);
const accept = (o) => transition(o, { type: 'new', t: 1_700_000_000_001 + n });
for (const f of [build, accept]) %PrepareFunctionForOptimization(f);
for (let i = 0; i < 200; i++) { accept(build(limit)[0]); build(bracket); }
for (const f of [build, accept]) %OptimizeFunctionOnNextCall(f);
const [a] = build(limit), [b] = build(limit), [p, tp, sl] = build(bracket);
const optimised = (%GetOptimizationStatus(build) & 16) !== 0;
process.stdout.write(JSON.stringify({
  optimised,
  simple: %HaveSameMap(a, b),
  bracketParent: %HaveSameMap(a, p),
  legs: %HaveSameMap(tp, sl) && %HaveSameMap(a, tp),
  transitioned: %HaveSameMap(accept(a), accept(b)),
}));
`;

describe('createOrders in optimised code', () => {
  it('gives every order one hidden class: simple orders, bracket parents and legs, and their transitions', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '--eval', SCRIPT],
      { timeout: 20_000 },
    );
    expect(JSON.parse(stdout)).toEqual({
      optimised: true,
      simple: true,
      bracketParent: true,
      legs: true,
      transitioned: true,
    });
  });
});
