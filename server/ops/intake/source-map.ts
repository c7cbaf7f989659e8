import fs from 'node:fs/promises';
import path from 'node:path';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes one segment of Base64 VLQ numbers (source map v3): sign in the low bit, 5 bits per digit, bit 6 continues. */
export function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`not a base64 VLQ digit: ${char}`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
    value = 0;
    shift = 0;
  }
  if (shift !== 0) throw new Error('truncated VLQ segment');
  return values;
}

/** Where a generated position came from. */
export interface OriginalPosition {
  source: string;
  /** 1-based. */
  line: number;
  /** 0-based. */
  column: number;
  name: string | undefined;
}

type Segment = readonly [genCol: number, source: number, line: number, col: number, name: number];

/** A parsed source map: looks up generated (1-based line, 0-based column) positions. */
export class SourceMap {
  private readonly lines: Segment[][] = [];

  constructor(
    private readonly sources: readonly string[],
    private readonly names: readonly string[],
    mappings: string,
  ) {
    // Fields after the generated column are deltas across the whole file; the column resets per line.
    let source = 0;
    let line = 0;
    let col = 0;
    let name = 0;
    for (const lineText of mappings.split(';')) {
      let genCol = 0;
      const segments: Segment[] = [];
      for (const text of lineText.split(',')) {
        if (text === '') continue;
        const v = decodeVlq(text);
        genCol += v[0] ?? 0;
        if (v.length >= 4) {
          source += v[1] ?? 0;
          line += v[2] ?? 0;
          col += v[3] ?? 0;
          if (v.length >= 5) name += v[4] ?? 0;
          segments.push([genCol, source, line, col, v.length >= 5 ? name : -1]);
        }
      }
      segments.sort((a, b) => a[0] - b[0]);
      this.lines.push(segments);
    }
  }

  /** Parses a v3 source map's JSON. */
  static parse(json: string): SourceMap {
    const raw = JSON.parse(json) as {
      version?: number;
      sources?: string[];
      names?: string[];
      mappings?: string;
      sourceRoot?: string;
    };
    if (raw.version !== 3 || typeof raw.mappings !== 'string') throw new Error('not a version 3 source map');
    const root = raw.sourceRoot ?? '';
    return new SourceMap(
      (raw.sources ?? []).map((s) => root + s),
      raw.names ?? [],
      raw.mappings,
    );
  }

  /** The original position of a generated one, or undefined when unmapped. */
  lookup(line: number, column: number): OriginalPosition | undefined {
    const segments = this.lines[line - 1];
    if (!segments || segments.length === 0) return undefined;
    let lo = 0;
    let hi = segments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((segments[mid]?.[0] ?? 0) <= column) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const segment = segments[found];
    if (!segment) return undefined;
    const source = this.sources[segment[1]];
    if (source === undefined) return undefined;
    return {
      source,
      line: segment[2] + 1,
      column: segment[3],
      name: segment[4] >= 0 ? this.names[segment[4]] : undefined,
    };
  }
}

/** One stack frame: function, file URL or path, 1-based line and column. */
export interface StackFrame {
  fn: string | undefined;
  file: string;
  line: number;
  column: number;
}

const V8 = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?\s*$/;
const GECKO = /^\s*(.*?)@(.+?):(\d+):(\d+)\s*$/;

/** Parses V8 (`at fn (file:1:2)`) and Firefox/Safari (`fn@file:1:2`) stack lines; others are skipped. */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n').slice(0, 50)) {
    const m = V8.exec(line) ?? GECKO.exec(line);
    if (!m || !m[2] || !m[3] || !m[4]) continue;
    frames.push({ fn: m[1] || undefined, file: m[2], line: Number(m[3]), column: Number(m[4]) });
  }
  return frames;
}

const ASSET = /\/assets\/([A-Za-z0-9_.-]+\.js)(?:\?.*)?$/;

/**
 * Maps minified frames of the built web app through the hidden source maps in `<root>/assets/*.map`
 * (read here, never served). Maps are cached; a missing or broken map leaves frames as they were.
 */
export class SourceMapResolver {
  private readonly cache = new Map<string, Promise<SourceMap | undefined>>();

  constructor(private readonly root: string) {}

  /** The stack with each mappable frame rewritten as `at name (src/file.tsx:line:col)`; undefined when nothing mapped. */
  async mapStack(stack: string): Promise<{ mapped: string; frames: StackFrame[] } | undefined> {
    const frames = parseStack(stack);
    let any = false;
    const out: StackFrame[] = [];
    for (const frame of frames) {
      const original = await this.mapFrame(frame);
      if (original) any = true;
      out.push(original ?? frame);
    }
    if (!any) return undefined;
    return {
      mapped: out.map((f) => `    at ${f.fn ?? '<anonymous>'} (${f.file}:${f.line}:${f.column})`).join('\n'),
      frames: out,
    };
  }

  private async mapFrame(frame: StackFrame): Promise<StackFrame | undefined> {
    const asset = ASSET.exec(frame.file)?.[1];
    if (!asset) return undefined;
    const map = await this.load(asset);
    const position = map?.lookup(frame.line, frame.column - 1);
    if (!position) return undefined;
    const source = position.source.replace(/^(\.\.\/)+/, '');
    return { fn: position.name ?? frame.fn, file: source, line: position.line, column: position.column + 1 };
  }

  private load(asset: string): Promise<SourceMap | undefined> {
    let pending = this.cache.get(asset);
    if (!pending) {
      // `asset` is a bare file name (the regex admits no slashes), so this stays inside assets/.
      pending = fs
        .readFile(path.join(this.root, 'assets', `${asset}.map`), 'utf8')
        .then((json) => SourceMap.parse(json))
        .catch(() => undefined);
      if (this.cache.size > 200) this.cache.clear();
      this.cache.set(asset, pending);
    }
    return pending;
  }
}
