// A worker thread that computes simulated bars, so a 10,000-bar history request never stalls the
// event loop that serves the WebSocket stream. It runs the same pure simulator with the same seed.
import { parentPort, workerData } from 'node:worker_threads';
import { type Bar, MarketSimulator, type Timeframe } from '../../../../core/market-data/index.js';

/** A request to the worker. */
export interface HistoryRequest {
  id: number;
  symbol: string;
  timeframe: Timeframe;
  start: number;
  end: number;
}

/** The worker's answer. */
export type HistoryResponse = { id: number; bars: Bar[] } | { id: number; error: string };

if (parentPort) {
  const port = parentPort;
  const simulator = new MarketSimulator({ seed: (workerData as { seed: string }).seed });
  port.on('message', (request: HistoryRequest) => {
    try {
      const bars = simulator.bars(request.symbol, request.timeframe, request.start, request.end);
      port.postMessage({ id: request.id, bars } satisfies HistoryResponse);
    } catch (error) {
      port.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies HistoryResponse);
    }
  });
}
