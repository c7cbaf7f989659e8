import { parseTimeframe } from '../../market-data/timeframe.js';
import type { Span } from './ast.js';

/** Token kinds: `keyword` is and/or/not/crosses_above/crosses_below; `op` is punctuation and operators. */
export type TokenKind = 'number' | 'string' | 'name' | 'keyword' | 'op' | 'end';

/** One token with its span; `value` is the parsed number or the unquoted string. */
export type Token = {
  readonly kind: TokenKind;
  readonly text: string;
  readonly span: Span;
  readonly value?: number | string;
};

/** A lexing failure at `span`. */
export type LexError = { readonly span: Span; readonly message: string };

const KEYWORDS = new Set(['and', 'or', 'not', 'crosses_above', 'crosses_below']);
const TWO_CHAR = new Set(['<=', '>=', '==', '!=', '&&', '||']);
const ONE_CHAR = new Set(['(', ')', ',', '.', '+', '-', '*', '/', '%', '<', '>', '!']);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isNameStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isNamePart = (c: string | undefined): boolean => isNameStart(c) || isDigit(c);

/** Splits rule text into tokens ending with an `end` token; `#` starts a comment to the end of the line. */
export function tokenize(source: string): { ok: true; tokens: Token[] } | { ok: false; error: LexError } {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (start: number, end: number, message: string) =>
    ({ ok: false, error: { span: { start, end }, message } }) as const;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === '.' && isDigit(source[i + 1]))) {
      while (isDigit(source[i])) i++;
      if (source[i] === '.' && isDigit(source[i + 1])) {
        i++;
        while (isDigit(source[i])) i++;
      }
      if (
        (source[i] === 'e' || source[i] === 'E') &&
        (isDigit(source[i + 1]) || (/[+-]/.test(source[i + 1] ?? '') && isDigit(source[i + 2])))
      ) {
        i += 2;
        while (isDigit(source[i])) i++;
      }
      if (isNamePart(source[i])) {
        let end = i;
        while (isNamePart(source[end])) end++;
        const word = source.slice(start, end);
        return fail(
          start,
          end,
          parseTimeframe(word) ? `a timeframe is written as a string: "${word}"` : `invalid number '${word}'`,
        );
      }
      const text = source.slice(start, i);
      tokens.push({ kind: 'number', text, span: { start, end: i }, value: Number(text) });
      continue;
    }
    if (isNameStart(c)) {
      while (isNamePart(source[i])) i++;
      const text = source.slice(start, i);
      tokens.push({ kind: KEYWORDS.has(text) ? 'keyword' : 'name', text, span: { start, end: i } });
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < source.length && source[i] !== c && source[i] !== '\n') i++;
      if (source[i] !== c) return fail(start, i, `unterminated string: add the closing ${c}`);
      i++;
      const text = source.slice(start, i);
      tokens.push({ kind: 'string', text, span: { start, end: i }, value: text.slice(1, -1) });
      continue;
    }
    const two = source.slice(i, i + 2);
    if (TWO_CHAR.has(two)) {
      tokens.push({ kind: 'op', text: two, span: { start, end: i + 2 } });
      i += 2;
      continue;
    }
    if (ONE_CHAR.has(c)) {
      tokens.push({ kind: 'op', text: c, span: { start, end: i + 1 } });
      i++;
      continue;
    }
    if (c === '=') return fail(start, start + 1, "use '==' to compare (a single '=' is not an operator)");
    if (c === '&') return fail(start, start + 1, "use 'and' or '&&' to join conditions");
    if (c === '|') return fail(start, start + 1, "use 'or' or '||' to join conditions");
    const code = c.codePointAt(0) ?? 0;
    const shown =
      code < 0x20 || code === 0x7f
        ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
        : `'${String.fromCodePoint(code)}'`;
    return fail(start, start + (code > 0xffff ? 2 : 1), `unexpected character ${shown}`);
  }
  tokens.push({ kind: 'end', text: '', span: { start: source.length, end: source.length } });
  return { ok: true, tokens };
}

/** How an error message names a token: `'and'`, `number 50`, `"1Day"`, `end of input`. */
export function describeToken(token: Token): string {
  if (token.kind === 'end') return 'end of input';
  if (token.kind === 'number') return `number ${token.text}`;
  if (token.kind === 'string') return `string ${token.text}`;
  return `'${token.text}'`;
}
