// The edge's share of a server's CPU time, read off a V8 sampling profile (`Profiler.stop`'s result) of the server
// under load: the time of every sample whose stack passes through the edge's code (server/edge/), minus what ran
// beneath an edge frame on the app's behalf (Fastify's hook runner, which a screen's `done()` calls to go on with the
// request). Throughput runs on a shared machine move by several percent from run to run (the loopback write alone
// does); this figure is the edge's own work, counted in the same run, so it holds still where they do not.
import { z } from 'zod';

/** The parts of a `.cpuprofile` read here. */
export const CpuProfile = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
export type CpuProfile = z.infer<typeof CpuProfile>;

/** Where the edge's code lives, and where a request goes on to the app beneath an edge frame. */
const EDGE = /\/server\/edge\/([^/]+?)(?:\/|\.[cm]?[jt]s$)/;
const CONTINUATION = /\/fastify\/lib\/hooks\.js$/;
/** The screens' loop: its time is the edge's, put down to the screen it called when it called one. */
const SCREENS = 'screens';

/** The edge's time in one profile: in all and by layer (the folder under server/edge, or its file). */
export interface EdgeShare {
  /** Sampled time the thread was not idle, µs. */
  busyUs: number;
  /** Of it, time spent in the edge's code and what it called, µs. */
  edgeUs: number;
  /** `edgeUs` as a percentage of `busyUs`. */
  sharePct: number;
  /** `edgeUs` by layer (`firewall`, `rate-limit`, `bot`, `headers`, `screens`…), µs. */
  byLayer: Record<string, number>;
  /** Of `busyUs`, time in V8's garbage collector (which work allocated what it collects, a profile cannot say), µs. */
  gcUs: number;
}

/**
 * Splits a profile's sampled time into the edge's and the rest. A sample is the edge's when, walking its stack from
 * the leaf up, an edge frame comes before any hook-runner frame (one after it means the edge handed the request on
 * and this is the app's time); it counts for the layer of the outermost edge frame below that point, the screens'
 * loop counting only when no layer is below it. Idle samples count for neither.
 */
export function edgeShare(profile: CpuProfile): EdgeShare {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  /** Each node's layer when its samples are the edge's, else null; worked out once per node. */
  const layerOf = new Map<number, string | null>();
  const classify = (id: number): string | null => {
    const known = layerOf.get(id);
    if (known !== undefined) return known;
    let layer: string | null = null;
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const url = byId.get(at)?.callFrame.url ?? '';
      if (CONTINUATION.test(url)) break;
      const edge = EDGE.exec(url)?.[1];
      if (edge !== undefined && (edge !== SCREENS || layer === null)) layer = edge;
    }
    layerOf.set(id, layer);
    return layer;
  };
  let busyUs = 0;
  let edgeUs = 0;
  let gcUs = 0;
  const byLayer: Record<string, number> = {};
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const name = byId.get(id)?.callFrame.functionName;
    if (name === '(idle)') return;
    busyUs += dt;
    if (name === '(garbage collector)') gcUs += dt;
    const layer = classify(id);
    if (layer === null) return;
    edgeUs += dt;
    byLayer[layer] = (byLayer[layer] ?? 0) + dt;
  });
  return { busyUs, edgeUs, sharePct: busyUs === 0 ? 0 : (100 * edgeUs) / busyUs, byLayer, gcUs };
}

/** Several profiles' shares as one: their times added up (each profile counts by its length). */
export function combineShares(shares: readonly EdgeShare[]): EdgeShare {
  const byLayer: Record<string, number> = {};
  let busyUs = 0;
  let edgeUs = 0;
  let gcUs = 0;
  for (const share of shares) {
    busyUs += share.busyUs;
    edgeUs += share.edgeUs;
    gcUs += share.gcUs;
    for (const [layer, us] of Object.entries(share.byLayer)) byLayer[layer] = (byLayer[layer] ?? 0) + us;
  }
  return { busyUs, edgeUs, sharePct: busyUs === 0 ? 0 : (100 * edgeUs) / busyUs, byLayer, gcUs };
}
