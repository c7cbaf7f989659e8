import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from '../../../contracts/errors.js';
import { addEdgeScreen } from '../screens.js';

/** Answers 431 EDGE_HEADERS_TOO_LARGE when a request carries more than `max` header fields. */
export function limitHeaderCount(app: FastifyInstance, max: number): void {
  addEdgeScreen(app, (request, reply) => {
    if (request.raw.rawHeaders.length / 2 <= max) return false;
    const body: ErrorBody = {
      code: 'EDGE_HEADERS_TOO_LARGE',
      message: `At most ${max} header fields per request.`,
      requestId: request.id,
    };
    void reply.code(431).header('connection', 'close').send(body);
    return true;
  });
}
