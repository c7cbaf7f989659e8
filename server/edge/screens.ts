import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';

/**
 * One check of the edge on a request's head: true when it has answered the request (a refusal), false to let it
 * through. It may set response headers on the way. A check that must wait (a rate limit kept in Redis) returns a
 * promise of the same; the others answer at once.
 */
export type EdgeScreen = (request: FastifyRequest, reply: FastifyReply) => boolean | Promise<boolean>;

const chains = new WeakMap<FastifyInstance, EdgeScreen[]>();

/** Runs `screens` from `from` on: synchronously until one returns a promise, then on from where it settles. */
function screen(
  screens: readonly EdgeScreen[],
  from: number,
  request: FastifyRequest,
  reply: FastifyReply,
  done: Parameters<onRequestHookHandler>[2],
): void {
  for (let i = from; i < screens.length; i++) {
    const answered = (screens[i] as EdgeScreen)(request, reply);
    if (answered === true) return;
    if (answered !== false) {
      answered.then(
        (stop) => (stop ? undefined : screen(screens, i + 1, request, reply, done)),
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
      );
      return;
    }
  }
  done();
}

/**
 * Adds `screen` to the instance's one edge `onRequest` hook, registered by the first screen added. The edge's
 * checks (header count, IP filter, rate limits, bot defence, the firewall on a bodiless request…) run in that single
 * hook, in the order they were added, instead of one Fastify hook each: a request let through goes from screen to
 * screen with a plain loop, no hook runner, `done` callback or promise in between. A screen added after other
 * `onRequest` hooks still runs in the first screen's place, before them: add the edge's screens before anything else.
 */
export function addEdgeScreen(app: FastifyInstance, check: EdgeScreen): void {
  const chain = chains.get(app);
  if (chain !== undefined) {
    chain.push(check);
    return;
  }
  const screens: EdgeScreen[] = [check];
  chains.set(app, screens);
  app.addHook('onRequest', (request, reply, done) => screen(screens, 0, request, reply, done));
}
