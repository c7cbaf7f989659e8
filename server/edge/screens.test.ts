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

describe('addEdgeScreen with a screen that waits', () => {
  it('keeps the order across a promise, stops when it answers, and hands a rejection to the error handler', async () => {
    const app = Fastify();
    const seen: string[] = [];
    addEdgeScreen(app, () => {
      seen.push('sync');
      return false;
    });
    addEdgeScreen(app, async (request, reply) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push('async');
      if (request.url === '/fails') throw new Error('store unreachable');
      if (request.url !== '/refused') return false;
      void reply.code(429).send({ code: 'EDGE_RATE_LIMITED' });
      return true;
    });
    addEdgeScreen(app, () => {
      seen.push('after');
      return false;
    });
    for (const url of ['/ok', '/refused', '/fails']) app.get(url, async () => ({ ok: true }));
    try {
      expect((await app.inject({ method: 'GET', url: '/ok' })).statusCode).toBe(200);
      expect(seen).toEqual(['sync', 'async', 'after']);
      seen.length = 0;
      expect((await app.inject({ method: 'GET', url: '/refused' })).statusCode).toBe(429);
      expect(seen).toEqual(['sync', 'async']);
      seen.length = 0;
      const failed = await app.inject({ method: 'GET', url: '/fails' });
      expect(failed.statusCode).toBe(500);
      expect(failed.json<{ message: string }>().message).toBe('store unreachable');
      expect(seen).toEqual(['sync', 'async']);
    } finally {
      await app.close();
    }
  });
});
