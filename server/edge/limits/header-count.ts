import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from '../../../contracts/errors.js';

/** Answers 431 EDGE_HEADERS_TOO_LARGE when a request carries more than `max` header fields. */
export function limitHeaderCount(app: FastifyInstance, max: number): void {
  // Callback style: no promise or microtask hop per request; an answered request stops the chain (no done).
  app.addHook('onRequest', (request, reply, done) => {
    if (request.raw.rawHeaders.length / 2 <= max) {
      done();
      return;
    }
    const body: ErrorBody = {
      code: 'EDGE_HEADERS_TOO_LARGE',
      message: `At most ${max} header fields per request.`,
      requestId: request.id,
    };
    void reply.code(431).header('connection', 'close').send(body);
  });
}
