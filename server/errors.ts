import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_CATALOG, type ErrorBody, type ErrorCode } from '../contracts/errors.js';
import { DomainError } from '../core/kernel/index.js';

/** An error the HTTP layer answers with its catalog status and `{ code, message }`. */
export class AppError extends DomainError {
  constructor(code: ErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(code, message, details);
    this.name = 'AppError';
  }
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOG, code);
}

/** Maps fastify's own error codes onto the catalog. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'REQUEST_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQUEST_BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'REQUEST_MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'REQUEST_MALFORMED_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST_MALFORMED_BODY',
  FST_ERR_VALIDATION: 'REQUEST_VALIDATION_FAILED',
};

/** Turns any thrown value into the catalog code and a message that is safe to show a client. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody; unexpected: boolean } {
  if (error instanceof DomainError && isErrorCode(error.code)) {
    return {
      status: ERROR_CATALOG[error.code].status,
      body: { code: error.code, message: error.message },
      unexpected: false,
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const where = error.validationContext ?? 'request';
    const field = first?.instancePath ? first.instancePath.replace(/^\//, '').replaceAll('/', '.') : '';
    const message = field
      ? `${where}.${field}: ${first?.message ?? 'invalid'}`
      : `${where}: ${first?.message ?? 'invalid'}`;
    return { status: 400, body: { code: 'REQUEST_VALIDATION_FAILED', message }, unexpected: false };
  }
  const fastifyCode = (error as Partial<FastifyError> | null)?.code;
  if (typeof fastifyCode === 'string' && FASTIFY_CODES[fastifyCode]) {
    const code = FASTIFY_CODES[fastifyCode];
    const message = (error as FastifyError).message;
    return { status: ERROR_CATALOG[code].status, body: { code, message }, unexpected: false };
  }
  return {
    status: 500,
    body: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side; it was logged.' },
    unexpected: true,
  };
}

/** Takes an unmatched request (e.g. a client-side route of the web app) or returns undefined. */
export type NotFoundFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

/** Installs the one error handler and the not-found handler: clients only ever see `{ code, message }`. */
export function installErrorHandling(app: FastifyInstance, fallback?: NotFoundFallback): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body, unexpected } = toErrorBody(error);
    if (unexpected) request.log.error({ err: error }, 'unhandled error');
    else request.log.info({ code: body.code }, 'request refused');
    return reply.code(status).send({ ...body, requestId: request.id });
  });
  app.setNotFoundHandler((request, reply) => {
    const taken = fallback?.(request, reply);
    if (taken) return taken;
    const body: ErrorBody = {
      code: 'ROUTE_NOT_FOUND',
      message: `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`,
      requestId: request.id,
    };
    return reply.code(404).send(body);
  });
}
