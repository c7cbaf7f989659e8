import { describe, expect, it } from 'vitest';
import { boundedMemo } from './memo.js';

describe('boundedMemo', () => {
  it('makes a value once per key, and starts over when full', () => {
    const made: string[] = [];
    const upper = boundedMemo(2, (key) => {
      made.push(key);
      return key.toUpperCase();
    });
    expect([upper('a'), upper('a'), upper('b'), upper('a')]).toEqual(['A', 'A', 'B', 'A']);
    expect(made).toEqual(['a', 'b']);
    upper('c'); // a third key: the memo starts over with c alone
    upper('a');
    expect(made).toEqual(['a', 'b', 'c', 'a']);
  });
});
