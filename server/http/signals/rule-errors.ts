import type { FastifyInstance } from 'fastify';
import { toErrorBody } from '../../errors.js';
import { RuleInvalidError } from '../../signals/signal-commands.js';

/** Scoped error handler: a rule that does not check answers 422 with every problem's line and column. */
export function answerRuleErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof RuleInvalidError) {
      request.log.info({ code: error.code }, 'request refused');
      return reply.code(422).send({
        code: error.code as 'SIGNALS_RULE_INVALID' | 'SIGNALS_RULE_TOO_COMPLEX',
        message: error.message,
        requestId: request.id,
        errors: error.errors.map((e) => ({
          line: e.line,
          column: e.column,
          endColumn: e.endColumn,
          message: e.message,
          ...(e.expected && { expected: [...e.expected] }),
        })),
      });
    }
    const { status, body, unexpected } = toErrorBody(error);
    if (unexpected) request.log.error({ err: error }, 'unhandled error');
    else request.log.info({ code: body.code }, 'request refused');
    return reply.code(status).send({ ...body, requestId: request.id });
  });
}
