// A sound prefilter for pattern rules. From a regex's source, `charGate` works out a set of characters at least one
// of which every match must contain (`<` for a tag, a quote for an attribute break…). A value whose characters miss
// the set cannot match, so the engine skips the regex. The analysis is conservative: anything it does not model
// (back-references, lookarounds, negated classes, `.`) contributes no requirement, and a pattern that can match the
// empty string gets no gate at all.

/** Bits 0–127: ASCII code points; bit 128: any non-ASCII character. Five 32-bit words. */
export type CharMask = readonly [number, number, number, number, number];

const NON_ASCII = 128;

/** The characters present in `text`, as a mask. */
export function charMask(text: string): CharMask {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let e = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 32) a |= 1 << code;
    else if (code < 64) b |= 1 << (code - 32);
    else if (code < 96) c |= 1 << (code - 64);
    else if (code < 128) d |= 1 << (code - 96);
    else e = 1;
  }
  return [a, b, c, d, e];
}

/** True when the text's mask shares a character with the gate. */
export function passes(mask: CharMask, gate: CharMask): boolean {
  return (
    (mask[0] & gate[0]) !== 0 ||
    (mask[1] & gate[1]) !== 0 ||
    (mask[2] & gate[2]) !== 0 ||
    (mask[3] & gate[3]) !== 0 ||
    (mask[4] & gate[4]) !== 0
  );
}

/** A requirement: one of these code points (128 stands for every non-ASCII one); null: none known. */
type Need = ReadonlySet<number> | null;

const DIGITS = range(48, 57);
const WORD = new Set([...range(48, 57), ...range(65, 90), ...range(97, 122), 95]);
// \s also matches non-ASCII spaces (NBSP, U+2028…): they fall in the non-ASCII bucket.
const SPACE = new Set([9, 10, 11, 12, 13, 32, NON_ASCII]);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** How common a requirement's characters are in ordinary input (lower is a better gate). */
function cost(need: ReadonlySet<number>): number {
  let total = 0;
  for (const code of need) {
    const common =
      code === NON_ASCII ||
      code === 32 ||
      (code >= 48 && code <= 57) ||
      (code >= 65 && code <= 90) ||
      (code >= 97 && code <= 122);
    total += common ? 10 : 1;
  }
  return total;
}

class Parser {
  private i = 0;
  constructor(
    private readonly source: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Need {
    const need = this.disjunction();
    if (this.i !== this.source.length) throw new Error(`unexpected '${this.source[this.i]}'`);
    return need;
  }

  private peek(): string | undefined {
    return this.source[this.i];
  }

  private disjunction(): Need {
    const alternatives: Need[] = [this.alternative()];
    while (this.peek() === '|') {
      this.i++;
      alternatives.push(this.alternative());
    }
    if (alternatives.some((a) => a === null)) return null;
    const union = new Set<number>();
    for (const a of alternatives) for (const code of a ?? []) union.add(code);
    return union;
  }

  private alternative(): Need {
    let best: Need = null;
    while (this.i < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      const need = this.term();
      if (need !== null && need.size > 0 && (best === null || cost(need) < cost(best))) best = need;
    }
    return best;
  }

  private term(): Need {
    const need = this.atom();
    const min = this.quantifier();
    return min === 0 ? null : need;
  }

  /** The quantifier's minimum (1 when there is none). */
  private quantifier(): number {
    const c = this.peek();
    let min = 1;
    if (c === '*' || c === '?') {
      min = 0;
      this.i++;
    } else if (c === '+') this.i++;
    else if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(this.source.slice(this.i));
      if (!m) return 1; // a literal `{` (not valid with the u flag, which the rules do not use)
      min = Number(m[1]);
      this.i += m[0].length;
    } else return 1;
    if (this.peek() === '?') this.i++; // lazy
    return min;
  }

  private atom(): Need {
    const c = this.source[this.i++];
    switch (c) {
      case '^':
      case '$':
      case '.':
        return null;
      case '(': {
        let zeroWidth = false;
        if (this.source.startsWith('?:', this.i)) this.i += 2;
        else if (this.source.startsWith('?=', this.i) || this.source.startsWith('?!', this.i)) {
          this.i += 2;
          zeroWidth = true;
        } else if (this.source.startsWith('?<=', this.i) || this.source.startsWith('?<!', this.i)) {
          this.i += 3;
          zeroWidth = true;
        } else if (this.source.startsWith('?<', this.i)) {
          const end = this.source.indexOf('>', this.i);
          this.i = end + 1;
        } else if (this.peek() === '?') throw new Error('unsupported group');
        const need = this.disjunction();
        if (this.source[this.i++] !== ')') throw new Error('unclosed group');
        return zeroWidth ? null : need;
      }
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape(false);
      case undefined:
        throw new Error('unexpected end');
      default:
        return this.literal(c.codePointAt(0) ?? 0);
    }
  }

  private literal(code: number): Need {
    const set = new Set<number>([code < 128 ? code : NON_ASCII]);
    if (this.ignoreCase) {
      const ch = String.fromCodePoint(code);
      for (const variant of [ch.toLowerCase(), ch.toUpperCase()]) {
        for (const v of variant) {
          const vc = v.codePointAt(0) ?? 0;
          set.add(vc < 128 ? vc : NON_ASCII);
        }
      }
      // Case folding maps some non-ASCII letters onto ASCII ones (K → k, ſ → s): never gate on an ASCII letter alone.
      if (/[a-z]/i.test(ch)) set.add(NON_ASCII);
    }
    return set;
  }

  /** An escape after `\`; inside a class, `\b` is a backspace. */
  private escape(inClass: boolean): Need {
    const c = this.source[this.i++];
    if (c === undefined) throw new Error('trailing backslash');
    switch (c) {
      case 'd':
        return new Set(DIGITS);
      case 'w':
        return this.ignoreCase ? new Set([...WORD, NON_ASCII]) : new Set(WORD);
      case 's':
        return new Set(SPACE);
      case 'D':
      case 'W':
      case 'S':
        return null;
      case 'b':
        return inClass ? this.literal(8) : null;
      case 'B':
        return null;
      case 'n':
        return this.literal(10);
      case 'r':
        return this.literal(13);
      case 't':
        return this.literal(9);
      case 'f':
        return this.literal(12);
      case 'v':
        return this.literal(11);
      case '0':
        return this.literal(0);
      case 'x': {
        const hex = this.source.slice(this.i, this.i + 2);
        this.i += 2;
        return this.literal(parseInt(hex, 16));
      }
      case 'u': {
        if (this.peek() === '{') {
          const end = this.source.indexOf('}', this.i);
          const hex = this.source.slice(this.i + 1, end);
          this.i = end + 1;
          return this.literal(parseInt(hex, 16));
        }
        const hex = this.source.slice(this.i, this.i + 4);
        this.i += 4;
        return this.literal(parseInt(hex, 16));
      }
      case 'c':
        this.i++;
        return null;
      case 'k':
        this.i = this.source.indexOf('>', this.i) + 1;
        return null;
      default:
        if (/[1-9]/.test(c)) {
          while (/[0-9]/.test(this.peek() ?? '')) this.i++;
          return null; // a back-reference
        }
        if (/[A-Za-z]/.test(c)) throw new Error(`unsupported escape \\${c}`);
        return this.literal(c.codePointAt(0) ?? 0);
    }
  }

  private characterClass(): Need {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const set = new Set<number>();
    let unknown = false;
    while (this.peek() !== ']') {
      if (this.i >= this.source.length) throw new Error('unclosed class');
      const low = this.classAtom();
      if (this.peek() === '-' && this.source[this.i + 1] !== ']' && this.source[this.i + 1] !== undefined) {
        this.i++;
        const high = this.classAtom();
        if (low === undefined || high === undefined || typeof low !== 'number' || typeof high !== 'number')
          throw new Error('bad range');
        for (let code = low; code <= high; code++) for (const x of this.literal(code) ?? []) set.add(x);
        if (high >= 128) set.add(NON_ASCII);
        continue;
      }
      if (low === null || low === undefined) unknown = true;
      else if (typeof low === 'number') for (const x of this.literal(low) ?? []) set.add(x);
      else for (const x of low) set.add(x);
    }
    this.i++; // ]
    if (negated || unknown) return null;
    return set;
  }

  /** One class member: a code point, a set (`\d`, `\s`, `\w`), or null for what is not modelled. */
  private classAtom(): number | ReadonlySet<number> | null | undefined {
    const c = this.source[this.i++];
    if (c === undefined) return undefined;
    if (c !== '\\') return c.codePointAt(0) ?? 0;
    const next = this.peek();
    if (next !== undefined && 'dwsDWS'.includes(next)) return this.escape(true);
    const need = this.escape(true);
    if (need === null) return null;
    // A single-character escape: its code point (ignore-case variants are added by the caller).
    const [code] = [...need];
    return code ?? null;
  }
}

/** The gate of a compiled pattern, or undefined when no character is required (or the source is not understood). */
export function charGate(pattern: RegExp): CharMask | undefined {
  let need: Need;
  try {
    need = new Parser(pattern.source, pattern.flags.includes('i')).parse();
  } catch {
    return undefined;
  }
  if (need === null || need.size === 0) return undefined;
  const words = [0, 0, 0, 0, 0];
  for (const code of need) {
    const word = code >> 5;
    words[word] = (words[word] ?? 0) | (1 << (code & 31));
  }
  return [words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0, words[4] ?? 0];
}
