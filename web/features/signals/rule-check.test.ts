import { describe, expect, it } from 'vitest';
import { checkRuleText, describeProblem, previewFirings } from './rule-check.js';

describe('checkRuleText', () => {
  it('accepts a valid rule and reports its warm-up', () => {
    const verdict = checkRuleText('close crosses_above sma(close, 20)', '1Min');
    expect(verdict.ok).toBe(true);
    expect(verdict.ok && verdict.warmup).toBeGreaterThanOrEqual(19);
  });

  it('places a typo at its line and column, with the offsets to underline', () => {
    const source = 'close > 1 and\nclose > smaa(close, 20)';
    const verdict = checkRuleText(source, '1Min');
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    const [problem] = verdict.problems;
    expect(problem).toMatchObject({ line: 2, column: 9 });
    expect(problem?.message).toMatch(/unknown function 'smaa'.*did you mean 'sma'/);
    expect(source.slice(problem?.start, problem?.end)).toBe('smaa');
    expect(describeProblem(problem!)).toBe("Line 2, column 9: unknown function 'smaa' — did you mean 'sma'?");
  });

  it('says what was expected when the parser stops', () => {
    const verdict = checkRuleText('close > sma(close 20)', '1Min');
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.problems[0]?.expected).toEqual(["')'", "','"]);
    expect(describeProblem(verdict.problems[0]!)).toBe(
      "Line 1, column 19: expected ')' after the arguments of sma, found number 20. Expected ')' or ','.",
    );
  });

  it('reports a bad timeframe instead of throwing', () => {
    const verdict = checkRuleText('close > 1', 'soon');
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.problems[0]?.message).toMatch(/not a timeframe/);
  });
});

describe('previewFirings', () => {
  const start = Date.UTC(2026, 10, 24, 15, 0);
  const closes = [99, 101, 102, 98, 97, 103, 104, 99];
  const bars = closes.map((c, i) => ({ t: start + i * 60_000, o: c, h: c + 1, l: c - 1, c, v: 1000 }));

  it('fires on each rising edge with once_per_bar, with the operand values', () => {
    const result = previewFirings(
      'close > 100',
      { timeframe: '1Min', mode: 'once_per_bar', cooldownBars: 0 },
      bars,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.firings.map((f) => (f.t - start) / 60_000)).toEqual([1, 5]);
    expect(result.firings[0]?.values).toEqual({ close: 101 });
  });

  it('fires on every true bar with every_time, and honours a cooldown', () => {
    const every = previewFirings(
      'close > 100',
      { timeframe: '1Min', mode: 'every_time', cooldownBars: 0 },
      bars,
    );
    expect(every.ok && every.firings.map((f) => (f.t - start) / 60_000)).toEqual([1, 2, 5, 6]);
    const cooled = previewFirings(
      'close > 100',
      { timeframe: '1Min', mode: 'every_time', cooldownBars: 4 },
      bars,
    );
    expect(cooled.ok && cooled.firings.map((f) => (f.t - start) / 60_000)).toEqual([1, 6]);
  });

  it('answers not ok for a rule that does not compile', () => {
    expect(previewFirings('close >', { timeframe: '1Min', mode: 'once', cooldownBars: 0 }, bars).ok).toBe(
      false,
    );
  });
});
