import { describe, expect, it } from 'vitest';
import {
  canonicalise,
  decodeAll,
  decodeEntities,
  decodeJsEscapes,
  foldFullWidth,
  urlDecode,
} from './normalise.js';
import { sqlFingerprint } from './sql-tokenizer.js';

describe('urlDecode', () => {
  it('decodes one layer and keeps invalid escapes when the input is malformed', () => {
    expect(urlDecode('%253Cscript%253E')).toBe('%3Cscript%3E');
    expect(urlDecode('100%ZZ done')).toBe('100%ZZ done');
    expect(urlDecode('a+b', true)).toBe('a b');
  });

  it('folds %u escapes and overlong UTF-8 dots when attackers use them', () => {
    expect(urlDecode('%u003cscript%u003e')).toBe('<script>');
    expect(urlDecode('%c0%ae%c0%ae/etc')).toBe('../etc');
  });
});

describe('decodeAll', () => {
  it('undoes double URL encoding, entities and unicode escapes together', () => {
    expect(decodeAll('%253Cscript%253E')).toBe('<script>');
    expect(decodeAll('&lt;img src=x onerror=alert(1)&gt;')).toBe('<img src=x onerror=alert(1)>');
    expect(decodeAll('\\u003csvg onload=1\\u003e')).toBe('<svg onload=1>');
    expect(decodeAll('&#x6A;avascript&colon;')).toBe('javascript:');
  });

  it('returns the same string when there is nothing to decode', () => {
    const plain = 'AAPL,MSFT';
    expect(decodeAll(plain)).toBe(plain);
  });
});

describe('canonicalise', () => {
  it('lower-cases, strips SQL comments but keeps MySQL executable comments, and collapses whitespace', () => {
    expect(canonicalise('UN/**/ION\t\tSEL/*x*/ECT')).toBe('un ion sel ect');
    expect(canonicalise('/*!50000UNION*/ SELECT')).toBe(' union select');
    expect(canonicalise('a\u0000b')).toBe('ab');
  });

  it('maps full-width forms to ASCII before matching', () => {
    expect(foldFullWidth('＜ｓｃｒｉｐｔ＞')).toBe('<script>');
    expect(decodeEntities('&quot;&amp;&apos;')).toBe(`"&'`);
    expect(decodeJsEscapes('\\x3c')).toBe('<');
  });
});

describe('sqlFingerprint', () => {
  it('reads a quote break followed by a tautology as s&1o1c', () => {
    expect(sqlFingerprint("1' or 1=1--", "'")).toBe('s&1o1c');
  });

  it('reads UNION SELECT and function calls structurally', () => {
    expect(sqlFingerprint('1 union all select password from users')).toBe('1UkEnkn');
    expect(sqlFingerprint('1 and sleep(5)')).toBe('1&f(1)');
  });

  it('keeps names and English text harmless', () => {
    expect(sqlFingerprint("o'brien", "'")).toBe('sn');
    expect(sqlFingerprint('select sector spdr')).toBe('Enn');
  });
});
