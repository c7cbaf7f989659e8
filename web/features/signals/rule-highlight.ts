import { BAR_FIELDS, RULE_FUNCTIONS, tokenize, type Token } from '../../../core/signals/index.js';

/** What a stretch of rule text is, for colouring: one CSS class per kind. */
export type HighlightKind =
  'number' | 'string' | 'keyword' | 'operator' | 'function' | 'field' | 'name' | 'comment' | 'error' | 'text';

/** A stretch of rule text: its kind, and its offsets [start, end) in the source. */
export interface Segment {
  kind: HighlightKind;
  text: string;
  start: number;
  end: number;
}

const FUNCTIONS: ReadonlySet<string> = new Set(RULE_FUNCTIONS.map((f) => f.name));
const FIELDS: ReadonlySet<string> = new Set(BAR_FIELDS);

function tokenKind(token: Token): HighlightKind {
  switch (token.kind) {
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'keyword':
      return 'keyword';
    case 'op':
      return 'operator';
    case 'name':
      return FUNCTIONS.has(token.text) ? 'function' : FIELDS.has(token.text) ? 'field' : 'name';
    case 'end':
      return 'text';
  }
}

/** Whitespace and comments between tokens: `#` to the end of a line is a comment. */
function gapSegments(source: string, start: number, end: number): Segment[] {
  const out: Segment[] = [];
  let i = start;
  while (i < end) {
    const hash = source.indexOf('#', i);
    if (hash < 0 || hash >= end) {
      out.push({ kind: 'text', text: source.slice(i, end), start: i, end });
      break;
    }
    if (hash > i) out.push({ kind: 'text', text: source.slice(i, hash), start: i, end: hash });
    const newline = source.indexOf('\n', hash);
    const stop = newline < 0 || newline > end ? end : newline;
    out.push({ kind: 'comment', text: source.slice(hash, stop), start: hash, end: stop });
    i = stop;
  }
  return out;
}

/**
 * Splits rule text into coloured segments with the rule language's own lexer. Text the lexer refuses
 * (an unterminated string, a stray `=`) becomes an `error` segment and lexing resumes after it, so
 * the segments always cover the whole source, in order, with no overlap.
 */
export function highlightRule(source: string): Segment[] {
  const out: Segment[] = [];
  let offset = 0;
  while (offset < source.length) {
    const rest = source.slice(offset);
    const lexed = tokenize(rest);
    let tokens: Token[];
    let failure: { start: number; end: number } | null = null;
    if (lexed.ok) tokens = lexed.tokens;
    else {
      const start = lexed.error.span.start;
      const end = Math.min(rest.length, Math.max(lexed.error.span.end, start + 1));
      failure = { start, end };
      const before = tokenize(rest.slice(0, start));
      tokens = before.ok ? before.tokens : [];
    }
    let at = 0;
    const limit = failure === null ? rest.length : failure.start;
    for (const token of tokens) {
      if (token.kind === 'end') continue;
      if (token.span.start > at) out.push(...gapSegments(source, offset + at, offset + token.span.start));
      out.push({
        kind: tokenKind(token),
        text: token.text,
        start: offset + token.span.start,
        end: offset + token.span.end,
      });
      at = token.span.end;
    }
    if (limit > at) out.push(...gapSegments(source, offset + at, offset + limit));
    if (failure === null) break;
    out.push({
      kind: 'error',
      text: rest.slice(failure.start, failure.end),
      start: offset + failure.start,
      end: offset + failure.end,
    });
    offset += failure.end;
  }
  return out;
}

/** The source offset of a 1-based line and column (clamped to the text). */
export function offsetOf(source: string, line: number, column: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = source.indexOf('\n', start);
    if (next < 0) return source.length;
    start = next + 1;
  }
  return Math.min(source.length, start + Math.max(0, column - 1));
}

/**
 * Cuts segments at the edges of `ranges` (the checker's problems) and flags the pieces inside one,
 * so the highlight layer can underline exactly the text a problem points at.
 */
export function markRanges(
  segments: readonly Segment[],
  ranges: readonly { start: number; end: number }[],
): (Segment & { flagged: boolean })[] {
  const cuts = new Set<number>();
  for (const r of ranges) {
    cuts.add(r.start);
    cuts.add(r.end);
  }
  const out: (Segment & { flagged: boolean })[] = [];
  for (const s of segments) {
    const points = [
      s.start,
      ...[...cuts].filter((c) => c > s.start && c < s.end).sort((a, b) => a - b),
      s.end,
    ];
    for (let i = 0; i + 1 < points.length; i++) {
      const start = points[i]!;
      const end = points[i + 1]!;
      const flagged = s.kind === 'error' || ranges.some((r) => start >= r.start && end <= r.end);
      out.push({ ...s, text: s.text.slice(start - s.start, end - s.start), start, end, flagged });
    }
  }
  return out;
}
