import { EventEmitter } from 'node:events';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { serialize } from 'pg-protocol';

type BindConfig = Parameters<typeof serialize.bind>[0];
type ParseConfig = Parameters<typeof serialize.parse>[0];
type ExecuteConfig = Parameters<typeof serialize.execute>[0];
type PortalConfig = Parameters<typeof serialize.describe>[0];

/** How a {@link PgliteConnection} calls PGlite. */
export interface PgliteConnectionOptions {
  /**
   * Whether PGlite syncs its file system after each call (its default). On Node's file system and in memory that
   * sync does nothing, but PGlite still queues it behind a lock with promises of its own on every call, which
   * outlive the call: set false there.
   */
  syncToFs?: boolean;
}

/**
 * node-postgres's connection over PGlite (the `connection` a pg Client takes in place of a socket), that hands
 * PGlite each pipeline of extended-protocol messages at once: parse, bind, describe and execute wait for the Sync
 * (or Flush) that ends them, and the batch runs in one call, as a server reads a socket. PGlite's own adapter
 * makes a call per message (four for a prepared statement), each with its own queue hop, parser state and
 * ReadyForQuery check. Postgres' main loop takes the messages one by one either way: the answers, errors
 * included, are the same.
 */
export class PgliteConnection extends EventEmitter {
  /** Read by node-postgres: true once connecting started. */
  _connecting = false;
  /** node-postgres destroys the stream on a timeout or a forced end; there is no socket to close. */
  readonly stream = { destroy: (): void => undefined };
  /** Statement names prepared, and sent to be prepared, on this connection (node-postgres keeps them here). */
  parsedStatements: Record<string, string> = {};
  submittedNamedStatements: Record<string, string> = {};
  private pending: Buffer[] = [];
  /** Every call to PGlite runs after the previous one: answers stay in order. */
  private chain: Promise<unknown>;
  /** True once node-postgres listens for raw `message` events (it does for notices and notifications). */
  private emitsMessages = false;

  constructor(
    private readonly pglite: PGlite,
    private readonly options: PgliteConnectionOptions = {},
  ) {
    super();
    this.chain = pglite.waitReady;
    this.on('newListener', (event) => {
      if (event === 'message') this.emitsMessages = true;
    });
  }

  async connect(): Promise<void> {
    this._connecting = true;
    await this.pglite.waitReady;
    process.nextTick(() => this.emit('readyForQuery'));
  }

  // No TLS, authentication or cancel: PGlite runs in this process, as its one user.
  requestSsl(): void {}
  startup(): void {}
  cancel(): void {}
  password(): void {}
  ref(): void {}
  unref(): void {}

  /** A simple query is complete on its own (it ends with ReadyForQuery). */
  query(text: string): void {
    this.send(serialize.query(text));
  }
  parse(config: ParseConfig): void {
    this.pending.push(serialize.parse(config));
  }
  bind(config: BindConfig): void {
    this.pending.push(serialize.bind(config));
  }
  describe(config: PortalConfig): void {
    this.pending.push(serialize.describe(config));
  }
  execute(config: ExecuteConfig): void {
    this.pending.push(serialize.execute(config));
  }
  close(config: PortalConfig): void {
    this.pending.push(serialize.close(config));
  }
  flush(): void {
    this.send(serialize.flush());
  }
  sync(): void {
    this.send(serialize.sync());
  }
  sendCopyFromChunk(chunk: Buffer): void {
    this.send(serialize.copyData(chunk));
  }
  endCopyFrom(): void {
    this.send(serialize.copyDone());
  }
  sendCopyFail(message: string): void {
    this.send(serialize.copyFail(message));
  }

  end(): void {
    this.chain = this.chain.then(() => this.emit('end'));
    for (const event of this.eventNames()) if (event !== 'newListener') this.removeAllListeners(event);
    this.emitsMessages = false;
  }

  /** Runs the pending messages and `last` in one PGlite call, then emits each answer as node-postgres expects. */
  private send(last: Buffer): void {
    const batch = this.pending.length === 0 ? last : Buffer.concat([...this.pending, last]);
    this.pending = [];
    this.chain = this.chain
      .then(() =>
        this.pglite.execProtocolStream(batch, {
          throwOnError: false,
          syncToFs: this.options.syncToFs ?? true,
        }),
      )
      .then((messages) => {
        for (const message of messages) {
          if (this.emitsMessages) this.emit('message', message);
          this.emit(message.name === 'error' ? 'errorMessage' : message.name, message);
        }
      })
      .catch((error: unknown) => {
        this.emit('error', error);
      });
  }
}

/** A node-postgres pool of one connection to `pglite`, sending pipelines whole (see PgliteConnection). */
export function pglitePool(pglite: PGlite, options: PgliteConnectionOptions = {}): pg.Pool {
  const connection = new PgliteConnection(pglite, options);
  return new pg.Pool({
    max: 1,
    user: 'postgres',
    database: 'postgres',
    password: 'unused',
    // node-postgres takes a ready connection object in place of a socket (an option its types leave out).
    ...({ connection } as object),
  });
}
