import type { FastifySerializerCompiler } from 'fastify';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { type $ZodIssue, $ZodType, type ParseContextInternal, safeEncode } from 'zod/v4/core';

/**
 * The context zod's `safeEncode` would build on every call, built once. zod copies its context with the fields it
 * needs added (`{ ...ctx, direction }`, then `{ ...ctx, async }`, and `{ ...ctx, skipChecks: true }` before a schema
 * with checks); a copy given a new field gets a hidden class of its own in V8's optimised code, so each response
 * built new ones and every read of the context in the schema went megamorphic. With the fields already here, zod's
 * copies only override them and share one class (`skipChecks: false` reads as zod's unset).
 * Measured on the clock's response schema (Node 20): 1.40–1.46 µs per response with zod's own context, 0.05–0.10 µs
 * with this one.
 */
const ENCODING: ParseContextInternal<$ZodIssue> = { direction: 'backward', async: false, skipChecks: false };

function zodSchemaOf(schema: unknown): $ZodType {
  if (schema instanceof $ZodType) return schema;
  if (
    typeof schema === 'object' &&
    schema !== null &&
    'properties' in schema &&
    schema.properties instanceof $ZodType
  )
    return schema.properties;
  throw new TypeError(`not a zod schema: ${JSON.stringify(schema)}`);
}

/**
 * fastify-type-provider-zod's response serializer (encode with the route's response schema, then JSON), with zod's
 * context built once (see {@link ENCODING}). A response that does not match its schema throws the provider's
 * `ResponseSerializationError`, as before.
 */
export const serializerCompiler: FastifySerializerCompiler<unknown> = ({
  schema: maybeSchema,
  method,
  url,
}) => {
  const schema = zodSchemaOf(maybeSchema);
  return (data: unknown) => {
    const result = safeEncode(schema, data, ENCODING);
    if (!result.success) throw new ResponseSerializationError(method, url, { cause: result.error });
    return JSON.stringify(result.data);
  };
};
