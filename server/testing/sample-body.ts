import { z } from 'zod';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  items?: JsonSchema;
  minimum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  format?: string;
  pattern?: string;
  default?: unknown;
};

function sample(schema: JsonSchema, depth: number): unknown {
  if (depth > 6) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.[0]) return sample(variants[0], depth + 1);
  if (schema.allOf?.[0]) return sample(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      // With nothing required (a patch), fill every field: an empty patch is usually refused.
      const keys = schema.required?.length ? schema.required : Object.keys(schema.properties ?? {});
      for (const key of keys) {
        const property = schema.properties?.[key];
        if (property) out[key] = sample(property, depth + 1);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items ?? {}, depth + 1));
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1);
    case 'boolean':
      return false;
    case 'string': {
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'email') return 'sample@example.com';
      if (schema.format === 'date-time') return '2024-03-12T14:30:00Z';
      if (schema.format === 'uri') return 'https://example.com/';
      return 'AAPL'.padEnd(schema.minLength ?? 4, 'X');
    }
    default:
      return null;
  }
}

/**
 * A plausible body for a route's zod body schema (required fields only, first enum values), so a
 * sweep over every route reaches the handler rather than stopping at validation. Undefined when
 * the route has no body schema or it is not zod.
 */
export function sampleBody(schema: unknown): unknown {
  if (!(schema instanceof z.ZodType)) return undefined;
  try {
    return sample(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, 0);
  } catch {
    return {};
  }
}
