import type { Worker } from 'node:worker_threads';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';
import { startWorker } from '../../worker-thread.js';
import type { ProtocolEngine } from './pglite-connection.js';
import { ThreadReply } from './pglite-protocol.js';

interface Pending {
  resolve: (messages: BackendMessage[]) => void;
  reject: (error: Error) => void;
}

/**
 * The embedded database on its own thread (pglite-thread.ts). Postgres in WebAssembly runs synchronously: in the
 * serving thread, every statement stops the event loop for as long as it runs (about 40 % of an order's CPU time).
 * Here the loop goes on parsing, checking and answering other requests meanwhile, and the database's garbage stays
 * out of the serving thread's heap. Each pipeline of protocol messages crosses as bytes and its answer comes back as
 * the bytes Postgres wrote, parsed here as node-postgres parses a socket. If the thread dies, every call pending or
 * later fails with the reason.
 */
export class PgliteWorker implements ProtocolEngine {
  readonly waitReady: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failed: Error | undefined;
  private closing: { resolve: () => void; reject: (error: Error) => void } | undefined;

  private constructor(private readonly worker: Worker) {
    let ready: () => void = () => undefined;
    let refused: (error: Error) => void = () => undefined;
    this.waitReady = new Promise<void>((resolve, reject) => {
      ready = resolve;
      refused = reject;
    });
    this.waitReady.catch(() => undefined);
    worker.on('message', (raw: unknown) => {
      const reply = ThreadReply.parse(raw);
      if (reply.type === 'ready') ready();
      else if (reply.type === 'result') this.settle(reply.id)?.resolve(parseMessages(reply.bytes));
      else if (reply.type === 'error') this.settle(reply.id)?.reject(new Error(reply.message));
      else if (reply.type === 'closed') this.closing?.resolve();
      else {
        const error = new Error(`embedded database: ${reply.message}`);
        refused(error);
        this.fail(error);
      }
    });
    worker.on('error', (error) => {
      refused(error);
      this.fail(error);
    });
    worker.on('exit', (code) => {
      const error = new Error(`embedded database thread exited with code ${code}`);
      refused(error);
      this.fail(error);
    });
  }

  /** Opens the database in `dataDir` on a new thread; resolves once Postgres is up. */
  static async open(dataDir: string): Promise<PgliteWorker> {
    const worker = startWorker(import.meta.url, 'pglite-thread', { dataDir });
    // Closing the database ends the thread; a process that forgot to close it may still exit.
    worker.unref();
    const engine = new PgliteWorker(worker);
    try {
      await engine.waitReady;
    } catch (error) {
      await engine.worker.terminate();
      throw error;
    }
    return engine;
  }

  execProtocolStream(message: Uint8Array): Promise<BackendMessage[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise<BackendMessage[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'exec', id, bytes: message });
    });
  }

  /** Closes the database (Postgres shuts down and writes what it holds), then ends the thread. */
  async close(): Promise<void> {
    if (!this.failed) {
      await new Promise<void>((resolve, reject) => {
        this.closing = { resolve, reject };
        this.worker.postMessage({ type: 'close' });
      });
    }
    this.failed ??= new Error('embedded database closed');
    await this.worker.terminate();
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending;
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    this.closing?.reject(error);
  }
}

function parseMessages(bytes: Uint8Array): BackendMessage[] {
  const messages: BackendMessage[] = [];
  new Parser().parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (message) =>
    messages.push(message),
  );
  return messages;
}
