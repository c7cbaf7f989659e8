import { describe, expect, it } from 'vitest';
import { checkRule } from './check-rule.js';
import { formatRuleError } from './rule-error.js';

function errors(source: string, timeframe = '1Min'): string[] {
  const r = checkRule(source, { timeframe });
  return r.ok ? [] : r.errors.map(formatRuleError);
}

function codes(source: string): string[] {
  const r = checkRule(source, { timeframe: '1Min' });
  return r.ok ? [] : r.errors.map((e) => e.code);
}

describe('checkRule', () => {
  it('accepts every construct of the language', () => {
    const rules = [
      'crossover(sma(close, 50), sma(close, 200)) and rsi(14) < 70',
      'close > bbands(20, 2).upper',
      'volume > 2 * sma(volume, 20)',
      'pct_change(close, 5) < -3',
      'sma(close, 20, "1Day") > close',
      'macd(12, 26, 9).hist crosses_above 0',
      'rsi(close, 14) > 30 && !(ema(hl2, 10) < ema(hlc3, 20)) || ohlc4 != open',
      'crossunder(close, vwap()) or close crosses_below atr(14) * 3',
      'entering_channel(close, bbands(20, 2).lower, bbands(20, 2).upper)',
      'exiting_channel(close, 10, 20) or inside_channel(close, 10, 20) or outside_channel(close, 10, 20)',
      'moving_up_pct(close, 2, 5) or moving_down_pct(close, 2.5, 5) or moving_up_pct(close, 1)',
      'change(close) > 0 and change(close, 3) > abs(min(open, close) - max(open, high, low))',
      'highest(high, 20) > prev(highest(high, 20), 1) and lowest(low, 20, "1Hour") < close',
      'stoch(14, 3, 3).k > stoch(14, 3, 3).d and adx(14) > 25 and adx(14).plus_di > adx(14).minus_di',
      'stochrsi(14, 14, 3).k > 0.8 and keltner(20, 10, 2).upper > close and donchian(20).middle < close',
      'ichimoku(9, 26, 52, 26).senkou_a > ichimoku().senkouB and sar() < low and obv() > prev(obv(), 5)',
      'mfi(14) < 20 and cci(20) < -100 and willr(14) < -80 and roc(10) > mom(close, 10) and stddev(close, 20, 1) > 0',
      'wma(close, 10) > dema(close, 10) and tema(close, 10) > sma(close - open, 5) and prev(close > open, 2)',
      'macd(12, 26, 9) > macd(12, 26, 9).signal and rsi(14, "5Min") > 50 and sma(close, 10, "1Week") > 0',
    ];
    for (const rule of rules) expect(errors(rule), rule).toEqual([]);
  });

  it('suggests the closest function, name and output', () => {
    expect(errors('smaa(close, 20) > 1')).toEqual(["1:1: unknown function 'smaa' — did you mean 'sma'?"]);
    expect(errors('SMA(close, 20) > 1')).toEqual(["1:1: unknown function 'SMA' — did you mean 'sma'?"]);
    expect(errors('clsoe > 1')).toEqual(["1:1: unknown name 'clsoe' — did you mean 'close'?"]);
    expect(errors('bbands(20, 2).uper < close')).toEqual([
      "1:15: bbands has no output 'uper' — did you mean 'upper'? (outputs: upper, middle, lower)",
    ]);
    expect(errors('foo(1) > 2')).toEqual(["1:1: unknown function 'foo'"]);
  });

  it('reports every independent error, in source order', () => {
    expect(errors('smaa(close, 5) > 1 and\nrsi(0) > clsoe')).toEqual([
      "1:1: unknown function 'smaa' — did you mean 'sma'?",
      '2:5: rsi period must be an integer from 2 to 5000, got 0',
      "2:10: unknown name 'clsoe' — did you mean 'close'?",
    ]);
  });

  it('requires a condition at the top level and conditions around and/or', () => {
    expect(errors('rsi(14)')).toEqual([
      '1:1: a rule must be a condition (true or false), but this is a number — compare it, e.g. close > sma(close, 20)',
    ]);
    expect(errors('rsi(14) and close > 1')).toEqual([
      "1:1: 'and' joins conditions, but its left side is a number — compare it, e.g. rsi(14) > 70",
    ]);
    expect(errors('(close > 1) + 1 > 0')).toEqual([
      "1:1: '+' needs numbers, but its left side is a condition",
    ]);
    expect(errors('(close > 1) < 2')).toEqual([
      "1:1: '<' compares numbers, but its left side is a condition",
    ]);
    expect(errors('not close')).toEqual(["1:5: 'not' needs a condition, but this is a number"]);
    expect(errors('-(close > 1)')).toEqual(["1:2: unary '-' needs a number, but this is a condition"]);
    expect(errors('crossover(close > 1, 2)')).toEqual([
      '1:11: crossover needs a number here, but this is a condition',
    ]);
  });

  it('checks arity against the signature', () => {
    expect(errors('crossover(close) ')).toEqual(['1:1: crossover takes 2 arguments: crossover(a, b); got 1']);
    expect(errors('sma(close, 20, 3) > 1')).toEqual([
      '1:16: sma takes at most 1 parameter: sma(source = close, period = 20, "tf"?)',
    ]);
    expect(errors('min(close) > 1')).toEqual(['1:1: min takes at least 2 arguments: min(a, b, …); got 1']);
    expect(errors('atr(close, 14) > 1')).toEqual([
      '1:5: atr reads high, low, close itself and takes no source: atr(period = 14, "tf"?)',
    ]);
  });

  it('checks parameter ranges from the registry and requires constants', () => {
    expect(errors('sma(close, 1) > 0')).toEqual([
      '1:12: sma period must be an integer from 2 to 5000, got 1',
    ]);
    expect(errors('sma(close, 2.5) > 0')).toEqual([
      '1:12: sma period must be an integer from 2 to 5000, got 2.5',
    ]);
    expect(errors('keltner(20, 10, -1).upper > 0')).toEqual([
      '1:17: keltner multiplier must be a number from 0 to 1000, got -1',
    ]);
    expect(errors('sma(close, rsi(14)) > 0')).toEqual([
      '1:12: sma period must be a constant number, not a series',
    ]);
    expect(errors('prev(close, 0) > 0')).toEqual([
      '1:13: n of prev must be an integer from 1 to 5000, got 0',
    ]);
    expect(errors('sma(close, 10 * 5) > 0')).toEqual([]);
  });

  it('needs a member for indicators with several outputs and refuses members elsewhere', () => {
    expect(errors('bbands(20, 2) > close')).toEqual([
      '1:1: bbands has several outputs — pick one: .upper, .middle, .lower',
    ]);
    expect(errors('close.upper > 1')).toEqual([
      "1:7: '.upper' picks an output of an indicator call, e.g. bbands(20, 2).upper",
    ]);
    expect(errors('prev(close).x > 1')).toEqual([
      "1:13: prev() has no outputs: '.x' applies to indicators such as bbands",
    ]);
  });

  it('accepts only higher, aligned timeframes, written as the last argument', () => {
    expect(errors('sma(close, 20, "1Min") > 1')).toEqual([
      '1:16: timeframe "1Min" must be higher than the rule\'s timeframe 1Min; leave it out to use the rule\'s own bars',
    ]);
    expect(errors('sma(close, 20, "1Hour") > 1', '1Day')).toEqual([
      '1:16: timeframe "1Hour" must be higher than the rule\'s timeframe 1Day; leave it out to use the rule\'s own bars',
    ]);
    expect(errors('sma(close, 20, "7Min") > 1', '5Min')).toEqual([
      '1:16: timeframe "7Min" is not a whole number of 5Min bars',
    ]);
    expect(errors('sma(close, 20, "1Month") > 1', '1Week')).toEqual([
      '1:16: weeks straddle months: "1Month" can\'t be built from 1Week bars',
    ]);
    expect(errors('sma(close, 20, "1Dya") > 1')).toEqual([
      '1:16: invalid timeframe "1Dya" — did you mean "1Day"?; use e.g. "5Min", "1Hour", "1Day"',
    ]);
    expect(errors('sma(close, "1Day", 20) > 1')).toEqual([
      '1:12: only the last argument of sma may be a string: its timeframe, e.g. "1Day"',
    ]);
    expect(errors('prev(close, 1, "1Day") > 1')).toEqual([
      '1:16: prev takes no timeframe; put it on the indicator, e.g. sma(close, 20, "1Day")',
    ]);
    expect(errors('sma(close - open, 5, "1Day") > 1')).toEqual([
      '1:5: on a higher timeframe sma reads a bar field (open, high, low, close, volume, hl2, hlc3, ohlc4), not an expression',
    ]);
    expect(errors('close > "1Day"')).toEqual([
      '1:9: a string is only allowed as the last argument of an indicator, naming its timeframe, e.g. sma(close, 20, "1Day")',
    ]);
    expect(errors('sma(close, 20, "15Min") > 1 and ema(close, 5, "1D") > 1', '5Min')).toEqual([]);
  });

  it('reports bare function names', () => {
    expect(errors('vwap < close')).toEqual(["1:1: 'vwap' is a function: call it, e.g. vwap(…)"]);
  });
});

describe('checkRule limits', () => {
  it('refuses rules longer than 2,000 characters', () => {
    const long = `close > 0 ${'and close > 0 '.repeat(200)}`;
    expect(long.length).toBeGreaterThan(2_000);
    expect(errors(long)).toEqual([`1:2001: the rule is ${long.length} characters long; the limit is 2000`]);
    expect(codes(long)).toEqual(['SIGNALS_RULE_TOO_COMPLEX']);
  });

  it('refuses nesting deeper than 32 and accepts 32', () => {
    expect(errors(`${'('.repeat(32)}close > 0${')'.repeat(32)}`)).toEqual([]);
    expect(errors(`${'('.repeat(33)}close > 0${')'.repeat(33)}`)).toEqual([
      '1:33: the rule nests deeper than 32 levels',
    ]);
    expect(codes(`close > ${'abs('.repeat(40)}1${')'.repeat(40)}`)).toEqual(['SIGNALS_RULE_TOO_COMPLEX']);
    expect(codes(`${'not '.repeat(40)}close > 1`)).toEqual(['SIGNALS_RULE_TOO_COMPLEX']);
  });

  it('refuses more than 64 distinct indicators but counts shared ones once', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `sma(close, ${i + 2}) > 0`).join(' and ');
    expect(errors(many(64))).toEqual([]);
    const column = many(65).indexOf('sma(close, 66)') + 1;
    expect(errors(many(65))).toEqual([`1:${column}: the rule uses more than 64 indicators`]);
    expect(codes(many(65))).toEqual(['SIGNALS_RULE_TOO_COMPLEX']);
    expect(errors(`${many(64)} and sma(close, 2) > 1`)).toEqual([]);
  });

  it('refuses periods, lookbacks and prev distances over 5,000 bars', () => {
    expect(errors('sma(close, 5000) > 0 and prev(close, 5000) > 0')).toEqual([]);
    expect(errors('sma(close, 5001) > 0')).toEqual(['1:12: sma period is 5001 bars, over the limit of 5000']);
    expect(errors('prev(close, 5001) > 0')).toEqual(['1:13: n of prev is 5001 bars, over the limit of 5000']);
    expect(errors('macd(12, 4990, 20) > 0')).toEqual([
      '1:1: macd needs 5008 bars of history, over the limit of 5000',
    ]);
    expect(codes('highest(close, 9999) > 0')).toEqual(['SIGNALS_RULE_TOO_COMPLEX']);
  });
});
