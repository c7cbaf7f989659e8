// The worker thread that runs the embedded database (see pglite-worker.ts): PGlite, its WebAssembly Postgres and its
// file writes, off the event loop that serves requests. It answers each pipeline of protocol messages with the raw
// bytes Postgres wrote back, as a socket would.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { z } from 'zod';
import { PGLITE_OPTIONS, type ThreadReply, ThreadRequest } from './pglite-protocol.js';

const Data = z.object({ dataDir: z.string() });

function reply(message: ThreadReply, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

const { dataDir } = Data.parse(workerData);
let pglite: PGlite;
try {
  pglite = await PGlite.create(dataDir, PGLITE_OPTIONS);
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}

/** One request at a time, in the order they came (the main thread sends one at a time anyway). */
let queue: Promise<void> = Promise.resolve();

async function handle(request: ThreadRequest): Promise<void> {
  if (request.type === 'close') {
    await pglite.close();
    reply({ type: 'closed' });
    return;
  }
  try {
    // A copy: the bytes PGlite returns may share a buffer that must not be handed over.
    const bytes = new Uint8Array(await pglite.execProtocolRaw(request.bytes));
    reply({ type: 'result', id: request.id, bytes }, [bytes.buffer]);
  } catch (error) {
    reply({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
  }
}

parentPort?.on('message', (raw: unknown) => {
  const request = ThreadRequest.parse(raw);
  queue = queue
    .then(() => handle(request))
    .catch((error: unknown) => {
      reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    });
});
