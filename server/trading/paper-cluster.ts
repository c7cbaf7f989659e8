/**
 * Port: the lock that makes one node the owner of paper trading (PostgreSQL's advisory lock at scale).
 * Held while its connection lives; PostgreSQL releases it if the node dies.
 */
export interface OwnerLock {
  /** Takes the lock if it is free, or confirms it is still held; false when another node holds it or it was lost. */
  acquire(): Promise<boolean>;
  /** Calls `listener` as soon as a held lock is lost (its connection errored or ended); returns the unsubscribe. */
  onLost(listener: () => void): () => void;
  /** Gives the lock up (another node may take it at its next attempt). */
  release(): Promise<void>;
}

/**
 * Port: the messages between the nodes of one deployment (Redis at scale). Requests go to whichever node
 * serves them (the owner); broadcasts go to every node, the sender included. Bodies are opaque text.
 */
export interface PaperBus {
  /** This node's id, unique per process. */
  readonly nodeId: string;
  /**
   * Sends `body` to the node serving requests and resolves with its reply. The deadline travels with the
   * request so a server drops it once expired. Rejects when no reply came within `timeoutMs` or the
   * request could not be sent (too many in flight, transport down).
   */
  request(body: string, timeoutMs: number): Promise<string>;
  /** Answers requests with `handler` until the returned function is called (and resolves). */
  serve(handler: (body: string) => Promise<string>): () => Promise<void>;
  /** Sends `body` to every node's subscribers. */
  publish(body: string): Promise<void>;
  /** Receives every broadcast; returns the unsubscribe function. */
  subscribe(listener: (body: string) => void): () => void;
}

/** What several nodes need to share paper trading: one owner at a time, the others forward to it. */
export interface PaperCluster {
  readonly lock: OwnerLock;
  readonly bus: PaperBus;
  /** How often a node that is not the owner tries the lock (and the owner confirms it); 1 s by default. */
  readonly pollMs?: number;
  /** How long a forwarded command waits for the owner's answer; 5 s by default. */
  readonly timeoutMs?: number;
}
