import { ManualClock } from '../kernel/index.js';
import { brokerContract } from '../testing/broker.contract.js';
import { quoteOf, tradeOf } from '../testing/trading-fixtures.js';
import { InMemoryOrderStore } from './in-memory-order-store.js';
import { PaperBroker } from './paper-broker.js';

brokerContract('PaperBroker', async () => {
  const clock = new ManualClock(0);
  const broker = new PaperBroker({ clock, orders: new InMemoryOrderStore() });
  return {
    broker,
    market: {
      quote: (symbol, bid, ask, bidSize, askSize) =>
        broker.onQuote(quoteOf(symbol, clock.now(), bid, ask, bidSize, askSize)),
      trade: (symbol, price, size) => broker.onTrade(tradeOf(symbol, clock.now(), price, size)),
      advanceTo: (t) => {
        clock.set(t);
        return broker.onClock(t);
      },
    },
    close: () => undefined,
  };
});
