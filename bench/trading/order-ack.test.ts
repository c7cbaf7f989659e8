import { describe, expect, it } from 'vitest';
import { parseOptions } from './order-ack.js';

describe('order-ack options', () => {
  it('reads the phase length, rate, engines and profile folders', () => {
    const options = parseOptions([
      '--seconds',
      '3',
      '--rate',
      '50',
      '--engines',
      'pglite',
      '--heap-prof',
      '/tmp/h',
    ]);
    expect(options).toMatchObject({ seconds: 3, rate: 50, engines: ['pglite'], heapProfileDir: '/tmp/h' });
    expect(options.allocProfileDir).toBeUndefined();
    expect([options.pin, parseOptions(['--pin']).pin]).toEqual([false, true]);
    expect(parseOptions(['--quick'])).toMatchObject({
      seconds: 4,
      warmupSeconds: 1,
      engines: ['pglite', 'postgres'],
    });
  });

  it('refuses --heap-prof with --alloc-prof: V8 runs one sampling heap profiler at a time', () => {
    expect(() => parseOptions(['--heap-prof', '/tmp/h', '--alloc-prof', '/tmp/a'])).toThrow(
      /--heap-prof and --alloc-prof cannot run together/,
    );
    expect(parseOptions(['--alloc-prof', '/tmp/a']).allocProfileDir).toBe('/tmp/a');
  });
});
