import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * One synchronous check of the edge on a request's head: returns true when it has answered the request (a refusal),
 * false to let it through. It may set response headers on the way.
 */
export type EdgeScreen = (request: FastifyRequest, reply: FastifyReply) => boolean;

const chains = new WeakMap<FastifyInstance, EdgeScreen[]>();

/**
 * Adds `screen` to the instance's one edge `onRequest` hook, registered by the first screen added. The edge's
 * checks (header count, IP filter, rate limits, bot defence, the firewall on a bodiless request…) run in that single
 * hook, in the order they were added, instead of one Fastify hook each: a request let through goes from screen to
 * screen with a plain loop, no hook runner or `done` callback in between. A screen added after other `onRequest`
 * hooks still runs in the first screen's place, before them: add the edge's screens before anything else.
 */
export function addEdgeScreen(app: FastifyInstance, screen: EdgeScreen): void {
  const chain = chains.get(app);
  if (chain !== undefined) {
    chain.push(screen);
    return;
  }
  const screens: EdgeScreen[] = [screen];
  chains.set(app, screens);
  app.addHook('onRequest', (request, reply, done) => {
    for (let i = 0; i < screens.length; i++) if ((screens[i] as EdgeScreen)(request, reply)) return;
    done();
  });
}
