import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serializerCompiler } from './zod-serializer.js';

const route = { method: 'GET', url: '/api/v1/thing' } as const;
const compile = (schema: unknown) => serializerCompiler({ schema, ...route });

describe('serializerCompiler', () => {
  it('writes what the response schema lets out, dropping unknown fields', () => {
    const serialize = compile(z.object({ id: z.string(), qty: z.string() }));
    expect(serialize({ id: 'a1', qty: '1.5', secret: 'never sent' })).toBe('{"id":"a1","qty":"1.5"}');
  });

  it('encodes codecs backwards, as zod.encode does: a Date goes out as its ISO string', () => {
    const at = z.codec(z.iso.datetime(), z.date(), {
      decode: (text) => new Date(text),
      encode: (date) => date.toISOString(),
    });
    const serialize = compile(z.object({ at }));
    expect(serialize({ at: new Date(Date.UTC(2024, 2, 12, 14, 30)) })).toBe(
      '{"at":"2024-03-12T14:30:00.000Z"}',
    );
  });

  it('runs the same on every call (the shared context carries nothing from one response to the next)', () => {
    const serialize = compile(z.object({ n: z.number().int().min(0) }));
    const out = Array.from({ length: 2_000 }, (_, n) => serialize({ n }));
    expect(out[0]).toBe('{"n":0}');
    expect(out[1_999]).toBe('{"n":1999}');
    expect(() => serialize({ n: -1 })).toThrow(ResponseSerializationError);
    expect(serialize({ n: 7 })).toBe('{"n":7}');
  });

  it('throws the provider’s ResponseSerializationError, naming the route, when a response breaks its schema', () => {
    const serialize = compile(z.object({ id: z.string() }));
    let thrown: unknown;
    try {
      serialize({ id: 42 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ResponseSerializationError);
    expect(thrown).toMatchObject({ method: 'GET', url: '/api/v1/thing' });
  });

  it('accepts a schema given as { properties }, and refuses anything that is not a zod schema', () => {
    expect(compile({ properties: z.object({ ok: z.boolean() }) })({ ok: true })).toBe('{"ok":true}');
    expect(() => compile({ type: 'object' })).toThrow(TypeError);
  });
});
