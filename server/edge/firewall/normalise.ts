// Decoders run before matching. Each returns its input unchanged (same string, no allocation)
// when there is nothing to decode, so plain values such as `AAPL` or `5Min` cost a few scans.

const HEX_RUN = /(?:%[0-9a-fA-F]{2})+/g;
const PERCENT_U = /%u([0-9a-fA-F]{4})/g;
const JS_ESCAPE = /\\(?:u\{?([0-9a-fA-F]{4,6})\}?|x([0-9a-fA-F]{2}))/g;
const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-zA-Z]{2,8}));?/g;
const FULL_WIDTH = /[\uff01-\uff5e]/g;
const SQL_COMMENT = /\/\*!\d*|\/\*[\s\S]*?\*\/|\*\//g;
const SPACES = /[\s\u00a0]+/g;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  colon: ':',
  lpar: '(',
  rpar: ')',
  sol: '/',
  bsol: '\\',
  tab: '\t',
  newline: '\n',
  semi: ';',
  comma: ',',
  period: '.',
  excl: '!',
  equals: '=',
  lcub: '{',
  rcub: '}',
  lbrace: '{',
  rbrace: '}',
  dollar: '$',
  num: '#',
  grave: '`',
  lsqb: '[',
  rsqb: ']',
  lowbar: '_',
  quest: '?',
  percnt: '%',
  ast: '*',
  plus: '+',
  vert: '|',
};

function fromCodePoint(code: number): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

/** Decodes bytes that are not valid UTF-8 one by one, folding overlong forms such as `%c0%ae` to `.`. */
function decodeBytesLoosely(run: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i += 3) bytes.push(parseInt(run.slice(i + 1, i + 3), 16));
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    const next = bytes[i + 1];
    if ((b === 0xc0 || b === 0xc1) && next !== undefined && (next & 0xc0) === 0x80) {
      out += String.fromCharCode(((b & 0x1f) << 6) | (next & 0x3f));
      i++;
    } else if (b === 0xe0 && next === 0x80 && bytes[i + 2] !== undefined) {
      out += String.fromCharCode((bytes[i + 2] ?? 0) & 0x3f);
      i += 2;
    } else out += String.fromCharCode(b);
  }
  return out;
}

/** One pass of percent-decoding (`%41`, `%u0041`); `+` becomes a space when `plusAsSpace`. Never throws. */
export function urlDecode(input: string, plusAsSpace = false): string {
  let value = plusAsSpace && input.includes('+') ? input.replaceAll('+', ' ') : input;
  if (!value.includes('%')) return value;
  if (value.includes('%u') || value.includes('%U'))
    value = value.replace(PERCENT_U, (_, hex: string) => fromCodePoint(parseInt(hex, 16)));
  return value.replace(HEX_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return decodeBytesLoosely(run);
    }
  });
}

/** Decodes HTML character references, with or without the trailing `;`. */
export function decodeEntities(input: string): string {
  if (!input.includes('&')) return input;
  return input.replace(
    ENTITY,
    (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
      if (hex !== undefined) return fromCodePoint(parseInt(hex, 16));
      if (dec !== undefined) return fromCodePoint(parseInt(dec, 10));
      return NAMED_ENTITIES[(name ?? '').toLowerCase()] ?? whole;
    },
  );
}

/** Decodes JavaScript/JSON escapes `\uXXXX`, `\u{XXXXX}` and `\xXX`. */
export function decodeJsEscapes(input: string): string {
  if (!input.includes('\\')) return input;
  return input.replace(JS_ESCAPE, (_, u: string | undefined, x: string | undefined) =>
    fromCodePoint(parseInt(u ?? x ?? '0', 16)),
  );
}

/** Maps full-width ASCII forms (U+FF01–U+FF5E) to ASCII. */
export function foldFullWidth(input: string): string {
  FULL_WIDTH.lastIndex = 0;
  if (!FULL_WIDTH.test(input)) return input;
  return input.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Every decoding, repeated until stable (at most three rounds): catches double URL encoding and mixes. */
export function decodeAll(input: string): string {
  let value = input;
  for (let round = 0; round < 3; round++) {
    const next = foldFullWidth(decodeJsEscapes(decodeEntities(urlDecode(value))));
    if (next === value) break;
    value = next;
  }
  return value;
}

/** Lower-cases, drops NULs, replaces SQL comments by a space (keeping `/*!` contents) and collapses whitespace. */
export function canonicalise(decoded: string): string {
  let value = decoded.toLowerCase();
  if (value.includes('\0')) value = value.replaceAll('\0', '');
  if (value.includes('/*') || value.includes('*/')) value = value.replace(SQL_COMMENT, ' ');
  SPACES.lastIndex = 0;
  if (/\s\s|[\t\n\r\f\v\u00a0]/.test(value)) value = value.replace(SPACES, ' ');
  return value;
}
