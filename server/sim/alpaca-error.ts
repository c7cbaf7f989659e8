import type { FastifyError, FastifyInstance } from 'fastify';

/** An error answered the way Alpaca does: HTTP status plus `{ code, message }` with Alpaca's 8-digit code. */
export class AlpacaError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'AlpacaError';
  }
}

/** 400 with code 40010001: a parameter Alpaca could not parse or does not accept. */
export function invalidParameter(message: string): AlpacaError {
  return new AlpacaError(400, 40010001, message);
}

/** 422 with code 42210000: parameters that parse but do not make sense together. */
export function unprocessable(message: string): AlpacaError {
  return new AlpacaError(422, 42210000, message);
}

/** 404 with code 40410000. */
export function notFound(message: string): AlpacaError {
  return new AlpacaError(404, 40410000, message);
}

/** Answers every error of the sim app with Alpaca's body; never a stack trace. */
export function installAlpacaErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof AlpacaError)
      return reply.code(error.status).send({ code: error.code, message: error.message });
    const status = (error as Partial<FastifyError>).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return reply.code(status).send({ code: status * 100_000, message: (error as Error).message });
    }
    request.log.error({ err: error }, 'sim: unhandled error');
    return reply.code(500).send({ code: 50010000, message: 'internal server error' });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ code: 40410000, message: 'endpoint not found' }),
  );
}
