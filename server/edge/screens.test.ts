import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { addEdgeScreen } from './screens.js';

describe('addEdgeScreen', () => {
  it('runs the screens in the order added, in one onRequest hook, and stops at the first that answers', async () => {
    const app = Fastify();
    const seen: string[] = [];
    addEdgeScreen(app, () => {
      seen.push('first');
      return false;
    });
    app.addHook('onRequest', (_request, _reply, done) => {
      seen.push('hook');
      done();
    });
    addEdgeScreen(app, (request, reply) => {
      seen.push('second');
      if (request.url !== '/refused') return false;
      void reply.code(429).send({ code: 'EDGE_RATE_LIMITED' });
      return true;
    });
    addEdgeScreen(app, () => {
      seen.push('third');
      return false;
    });
    app.get('/ok', async () => ({ ok: true }));
    app.get('/refused', async () => ({ ok: true }));
    try {
      const ok = await app.inject({ method: 'GET', url: '/ok' });
      expect(ok.statusCode).toBe(200);
      expect(seen).toEqual(['first', 'second', 'third', 'hook']);
      seen.length = 0;
      const refused = await app.inject({ method: 'GET', url: '/refused' });
      expect(refused.statusCode).toBe(429);
      expect(seen).toEqual(['first', 'second']);
    } finally {
      await app.close();
    }
  });
});
