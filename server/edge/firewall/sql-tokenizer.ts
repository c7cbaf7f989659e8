// A small SQL tokenizer in the spirit of libinjection: it reads the start of a value as SQL, in
// three contexts (as is, as if it followed a `'`, as if it followed a `"`), and reduces it to a
// fingerprint of token types. Injection shapes are then matched on the fingerprint, not on words,
// so `Select Sector SPDR` (E n n) or `O'Brien` (s n) do not look like `' or 1=1--` (s & 1 o 1 c).
//
// Token types: s string, 1 number/literal, n bareword, v variable, f function call, k keyword,
// E statement keyword, U union-like, B group/order by, limit, having, & logic operator,
// o operator, c comment, and the punctuation ( ) , ; itself.

const LOGIC = new Set(['and', 'or', 'xor', '&&', '||']);
const OPERATOR_WORDS = new Set([
  'not',
  'like',
  'rlike',
  'regexp',
  'is',
  'in',
  'between',
  'div',
  'mod',
  'sounds',
  'escape',
  'collate',
  'glob',
  'match',
  'against',
]);
const UNION = new Set(['union', 'intersect', 'except', 'minus']);
const STATEMENT = new Set([
  'select',
  'insert',
  'update',
  'delete',
  'drop',
  'create',
  'alter',
  'truncate',
  'exec',
  'execute',
  'declare',
  'shutdown',
  'waitfor',
  'grant',
  'revoke',
  'merge',
  'handler',
  'rename',
  'load',
  'copy',
  'pragma',
  'attach',
]);
const CLAUSE = new Set(['group', 'order', 'limit', 'having', 'procedure', 'offset']);
const KEYWORDS = new Set([
  'from',
  'where',
  'into',
  'table',
  'all',
  'distinct',
  'top',
  'case',
  'when',
  'then',
  'else',
  'end',
  'as',
  'join',
  'by',
  'delay',
  'values',
  'set',
  'outfile',
  'dumpfile',
  'database',
  'schema',
  'column',
  'exists',
  'asc',
  'desc',
  'information_schema',
  'having',
  'declare',
  'begin',
  'cast',
  'convert',
]);
const LITERALS = new Set(['null', 'true', 'false']);
const OPERATOR_CHARS = '=<>!|&^~+-*/%:?';
const NUMBER = /0x[0-9a-f]+|[0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?/y;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f' || c === '\u00a0';
}

function isWordChar(c: string): boolean {
  return (
    (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '_' || c === '$' || c === '.' || c > '\u007f'
  );
}

function endOfString(input: string, start: number, quote: string): number {
  let i = start;
  while (i < input.length) {
    const c = input[i];
    if (c === '\\') i += 2;
    else if (c === quote) {
      if (input[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return input.length;
}

function classifyWord(word: string, input: string, after: number): string {
  if (LOGIC.has(word)) return '&';
  if (OPERATOR_WORDS.has(word)) return 'o';
  if (UNION.has(word)) return 'U';
  if (LITERALS.has(word)) return '1';
  let next = after;
  while (next < input.length && isSpace(input[next] ?? '')) next++;
  if (input[next] === '(') return 'f';
  if (STATEMENT.has(word)) return 'E';
  if (CLAUSE.has(word)) return 'B';
  if (KEYWORDS.has(word)) return 'k';
  return 'n';
}

/** Fingerprints the first `maxTokens` SQL tokens of a lower-cased value; `quote` starts inside a string literal. */
export function sqlFingerprint(input: string, quote: '' | "'" | '"' = '', maxTokens = 8): string {
  let out = '';
  let i = 0;
  if (quote !== '') {
    i = endOfString(input, 0, quote);
    out = 's';
  }
  while (i < input.length && out.length < maxTokens) {
    const c = input[i] ?? '';
    if (isSpace(c)) {
      i++;
    } else if (c === "'" || c === '"' || c === '`') {
      i = endOfString(input, i + 1, c);
      out += c === '`' ? 'n' : 's';
    } else if (c === '#' || (c === '-' && input[i + 1] === '-')) {
      out += 'c';
      break;
    } else if (c === '/' && input[i + 1] === '*') {
      const close = input.indexOf('*/', i + 2);
      if (input[i + 2] === '!') i += 3;
      else {
        out += 'c';
        if (close === -1) break;
        i = close + 2;
      }
    } else if (c === '(' || c === ')' || c === ',' || c === ';') {
      out += c;
      i++;
    } else if (c === '@') {
      let j = i + 1;
      while (j < input.length && (isWordChar(input[j] ?? '') || input[j] === '@')) j++;
      out += 'v';
      i = j;
    } else if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(input[i + 1] ?? ''))) {
      NUMBER.lastIndex = i;
      NUMBER.test(input);
      out += '1';
      i = Math.max(NUMBER.lastIndex, i + 1);
    } else if (OPERATOR_CHARS.includes(c)) {
      let j = i + 1;
      while (
        j < input.length &&
        OPERATOR_CHARS.includes(input[j] ?? '') &&
        !(input[j] === '-' && input[j + 1] === '-')
      )
        j++;
      const op = input.slice(i, j);
      out += op === '&&' || op === '||' ? '&' : 'o';
      i = j;
    } else if (isWordChar(c)) {
      let j = i + 1;
      while (j < input.length && isWordChar(input[j] ?? '')) j++;
      out += classifyWord(input.slice(i, j), input, j);
      i = j;
    } else {
      i++;
    }
  }
  return out;
}
