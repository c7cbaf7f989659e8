import type { PGliteOptions } from '@electric-sql/pglite';
import { z } from 'zod';

/** How Pulse opens PGlite, in this thread or in pglite-thread.ts. */
export const PGLITE_OPTIONS = {
  // Defaults cost ~280 MB RSS; 16 MB of shared buffers is ample for one node (~160 MB).
  postgresqlconf: ['shared_buffers=16MB'],
  // Node's file system (and memory) write through as Postgres writes: PGlite's "sync to FS" after each
  // query is a no-op for them, so waiting for it only costs a lock, promises and a microtask hop per
  // query. This changes nothing about durability here (it matters for the browser's IndexedDB/OPFS).
  relaxedDurability: true,
} as const satisfies PGliteOptions;

/** What the main thread asks of the database thread. */
export const ThreadRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('exec'), id: z.number().int(), bytes: z.instanceof(Uint8Array) }),
  z.object({ type: z.literal('close') }),
]);
export type ThreadRequest = z.infer<typeof ThreadRequest>;

/** What the database thread answers. */
export const ThreadReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('result'), id: z.number().int(), bytes: z.instanceof(Uint8Array) }),
  z.object({ type: z.literal('error'), id: z.number().int(), message: z.string() }),
  z.object({ type: z.literal('closed') }),
  /** Opening or closing failed; the thread is unusable. */
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type ThreadReply = z.infer<typeof ThreadReply>;
