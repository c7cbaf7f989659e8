import { describe, expect, it } from 'vitest';
import { joinedChunk, jsonArrayFrame, jsonChunk } from './json-frame.js';

describe('jsonArrayFrame', () => {
  it('joins chunks of single and joined messages into one JSON array, in order', () => {
    const frame = jsonArrayFrame([
      jsonChunk('{"T":"success","msg":"connected"}'),
      joinedChunk(['{"T":"t","i":1}', '{"T":"t","i":2}']),
      jsonChunk('{"T":"q","bp":1.5}'),
    ]);
    expect(frame.toString()).toBe(
      '[{"T":"success","msg":"connected"},{"T":"t","i":1},{"T":"t","i":2},{"T":"q","bp":1.5}]',
    );
    expect(JSON.parse(frame.toString())).toHaveLength(4);
  });

  it('makes an empty array when there are no chunks, and a one-element array from one chunk', () => {
    expect(jsonArrayFrame([]).toString()).toBe('[]');
    expect(jsonArrayFrame([jsonChunk('{"a":1}')]).toString()).toBe('[{"a":1}]');
  });

  it('keeps multi-byte UTF-8 intact and counts bytes, not characters', () => {
    const chunk = jsonChunk('{"msg":"Börse – 株"}');
    expect(chunk.length).toBe(Buffer.byteLength('{"msg":"Börse – 株"},'));
    expect(JSON.parse(jsonArrayFrame([chunk, chunk]).toString())).toEqual([
      { msg: 'Börse – 株' },
      { msg: 'Börse – 株' },
    ]);
  });

  it('shares chunks between frames without one frame changing another', () => {
    const shared = joinedChunk(['{"i":1}', '{"i":2}']);
    const a = jsonArrayFrame([shared]);
    const b = jsonArrayFrame([shared, jsonChunk('{"i":3}')]);
    expect(a.toString()).toBe('[{"i":1},{"i":2}]');
    expect(b.toString()).toBe('[{"i":1},{"i":2},{"i":3}]');
    expect(shared.toString()).toBe('{"i":1},{"i":2},');
  });
});
