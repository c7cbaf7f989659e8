import { describe, expect, it } from 'vitest';
import { highlightRule, markRanges, offsetOf } from './rule-highlight.js';

const kinds = (source: string) => highlightRule(source).map((s) => [s.kind, s.text]);

describe('highlightRule', () => {
  it('colours fields, functions, numbers, keywords, operators and strings with the rule lexer', () => {
    expect(kinds('rsi(close, 14) < 30 and sma(close, 5, "1Day") > ema')).toEqual([
      ['function', 'rsi'],
      ['operator', '('],
      ['field', 'close'],
      ['operator', ','],
      ['text', ' '],
      ['number', '14'],
      ['operator', ')'],
      ['text', ' '],
      ['operator', '<'],
      ['text', ' '],
      ['number', '30'],
      ['text', ' '],
      ['keyword', 'and'],
      ['text', ' '],
      ['function', 'sma'],
      ['operator', '('],
      ['field', 'close'],
      ['operator', ','],
      ['text', ' '],
      ['number', '5'],
      ['operator', ','],
      ['text', ' '],
      ['string', '"1Day"'],
      ['operator', ')'],
      ['text', ' '],
      ['operator', '>'],
      ['text', ' '],
      ['function', 'ema'],
    ]);
  });

  it('marks an unknown name as a plain name, and comments to the end of their line', () => {
    expect(kinds('smaa # typo?\nclose')).toEqual([
      ['name', 'smaa'],
      ['text', ' '],
      ['comment', '# typo?'],
      ['text', '\n'],
      ['field', 'close'],
    ]);
  });

  it('flags what the lexer refuses and carries on after it', () => {
    expect(kinds('close = 3 and high > "x')).toEqual([
      ['field', 'close'],
      ['text', ' '],
      ['error', '='],
      ['text', ' '],
      ['number', '3'],
      ['text', ' '],
      ['keyword', 'and'],
      ['text', ' '],
      ['field', 'high'],
      ['text', ' '],
      ['operator', '>'],
      ['text', ' '],
      ['error', '"x'],
    ]);
  });

  it('covers every character of any text exactly once, in order', () => {
    for (const source of ['', '   ', 'a && b || !c', '1e5 .5 12abc', 'x\r\n\t# c\n&|=', 'é close']) {
      const segments = highlightRule(source);
      expect(segments.map((s) => s.text).join('')).toBe(source);
      segments.forEach((s, i) => {
        expect(source.slice(s.start, s.end)).toBe(s.text);
        if (i > 0) expect(s.start).toBe(segments[i - 1]?.end);
      });
    }
  });
});

describe('offsetOf', () => {
  it('turns a 1-based line and column into an offset, clamped to the text', () => {
    const source = 'close > 1\nand open < 2';
    expect(offsetOf(source, 1, 1)).toBe(0);
    expect(offsetOf(source, 2, 5)).toBe(14);
    expect(source[offsetOf(source, 2, 5)]).toBe('o');
    expect(offsetOf(source, 9, 1)).toBe(source.length);
  });
});

describe('markRanges', () => {
  it('cuts segments at a problem and flags only the text inside it', () => {
    const marked = markRanges(highlightRule('close > smaa(close)'), [{ start: 10, end: 12 }]);
    expect(marked.filter((s) => s.flagged).map((s) => s.text)).toEqual(['aa']);
    expect(marked.map((s) => s.text).join('')).toBe('close > smaa(close)');
    expect(marked.find((s) => s.text === 'sm')?.kind).toBe('name');
  });
});
