/**
 * The fan-out clients' frame scanner: reads what the benchmark checks straight from the bytes of a text
 * frame, without JSON.parse and without making strings. Every message starts with `{"T":"<type>"`; a
 * trade is `{"T":"t","S":<symbol>,"i":<id>,…,"t":"<24-char time>"}` and a quote ends the same way
 * (server/ws/messages.ts), so the scanner takes the symbol and id from the front and the emit time from
 * the back of each message. Anything that does not have that shape is counted as malformed, never skipped.
 */

/** Latencies in 1 ms bins up to 60 s. */
export class Histogram {
  private readonly bins = new Uint32Array(60_001);
  count = 0;
  max = 0;

  add(ms: number): void {
    const bin = ms < 0 ? 0 : ms > 60_000 ? 60_000 : ms;
    this.bins[bin] = (this.bins[bin] ?? 0) + 1;
    this.count += 1;
    if (ms > this.max) this.max = ms;
  }

  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < this.bins.length; i += 1) {
      seen += this.bins[i] ?? 0;
      if (seen >= rank) return i;
    }
    return 60_000;
  }

  summary() {
    return { p50: this.percentile(50), p99: this.percentile(99), max: this.max, count: this.count };
  }

  reset(): void {
    this.bins.fill(0);
    this.count = 0;
    this.max = 0;
  }
}

/** One client's view: which symbols it follows, and per symbol the trades received and the last id. */
export class ScanTarget {
  readonly subscribed: Uint8Array;
  readonly received: Uint32Array;
  readonly lastId: Float64Array;
  subscriptionAcked = false;

  constructor(symbolCount: number, symbols: readonly number[]) {
    this.subscribed = new Uint8Array(symbolCount);
    this.received = new Uint32Array(symbolCount);
    this.lastId = new Float64Array(symbolCount);
    for (const s of symbols) this.subscribed[s] = 1;
  }
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
/** `{"T":"t","S":"` */
const SYMBOL_AT = 14;
/** `","i":` between a trade's symbol and its id. */
const ID_GAP = 6;
/** `"t":"2024-03-12T14:30:00.001Z"}`: the time starts 25 bytes before the closing brace. */
const STAMP_BACK = 25;
/**
 * The shortest a trade can be after its id (`,"x":"","p":0,"s":0,"c":[],"z":"","t":"<24>"`) and a quote
 * after its type: the closing brace is searched for only past these.
 */
const TRADE_TAIL_MIN = 44;
const QUOTE_TAIL_MIN = 90;
const T_FIELD = Buffer.from('"t":"');

/** Counts and times the messages of text frames for many clients; all figures are totals over clients. */
export class FrameScanner {
  readonly tradeLatency = new Histogram();
  readonly quoteLatency = new Histogram();
  frames = 0;
  messages = 0;
  trades = 0;
  quotes = 0;
  resyncs = 0;
  /** Trades whose id did not follow the previous one of its symbol on that client (gap, repeat, reorder). */
  sequenceBreaks = 0;
  /** Messages the scanner could not read, or trades and quotes of a symbol the client does not follow. */
  malformed = 0;
  private readonly symbolBytes: Buffer[];
  private readonly byHash = new Map<number, number>();
  private readonly stampCache = Buffer.alloc(19);
  private stampCacheMs = Number.NaN;

  constructor(readonly symbols: readonly string[]) {
    this.symbolBytes = symbols.map((s) => Buffer.from(s, 'latin1'));
    this.symbolBytes.forEach((bytes, index) => {
      const hash = hashOf(bytes, 0, bytes.length);
      if (this.byHash.has(hash)) throw new Error(`symbol hash collision: ${symbols[index]}`);
      this.byHash.set(hash, index);
    });
  }

  /** The index of `symbol` in the universe. */
  indexOf(symbol: string): number {
    const index = this.symbols.indexOf(symbol);
    if (index < 0) throw new Error(`unknown symbol ${symbol}`);
    return index;
  }

  resetCounters(): void {
    this.frames = this.messages = this.trades = this.quotes = this.resyncs = 0;
    this.sequenceBreaks = this.malformed = 0;
    this.tradeLatency.reset();
    this.quoteLatency.reset();
  }

  /** Scans one text frame's payload, `buf[start, end)`, received at `now` (ms since the epoch). */
  scan(target: ScanTarget, buf: Buffer, start: number, end: number, now: number): void {
    this.frames += 1;
    let p = start;
    while (p < end) {
      if (buf[p] !== OPEN_BRACE) {
        p += 1;
        continue;
      }
      this.messages += 1;
      const type = buf[p + 6];
      if (buf[p + 7] === QUOTE && type === 0x74 /* t */) p = this.trade(target, buf, p, end, now);
      else if (buf[p + 7] === QUOTE && type === 0x71 /* q */) p = this.quote(target, buf, p, end, now);
      else p = this.other(target, buf, p, end);
    }
  }

  private trade(target: ScanTarget, buf: Buffer, p: number, end: number, now: number): number {
    const symbolStart = p + SYMBOL_AT;
    let q = symbolStart;
    let hash = 0;
    while (q < end && buf[q] !== QUOTE) hash = (Math.imul(hash, 31) + (buf[q++] as number)) | 0;
    const symbol = this.symbol(hash, buf, symbolStart, q);
    q += ID_GAP;
    let id = 0;
    let digits = 0;
    for (let b = buf[q] as number; b >= 0x30 && b <= 0x39; b = buf[++q] as number) {
      id = id * 10 + (b - 0x30);
      digits += 1;
    }
    const close = closeOf(buf, q + TRADE_TAIL_MIN, end);
    const stamp = this.stampAt(buf, close, end);
    if (
      symbol < 0 ||
      digits === 0 ||
      buf[q] !== COMMA ||
      Number.isNaN(stamp) ||
      target.subscribed[symbol] !== 1
    ) {
      this.malformed += 1;
      return close < 0 ? end : close + 1;
    }
    this.tradeLatency.add(now - stamp);
    this.trades += 1;
    target.received[symbol] = (target.received[symbol] as number) + 1;
    const last = target.lastId[symbol] as number;
    if (last !== 0 && id !== last + 1) this.sequenceBreaks += 1;
    target.lastId[symbol] = id;
    return close + 1;
  }

  private quote(target: ScanTarget, buf: Buffer, p: number, end: number, now: number): number {
    const symbolStart = p + SYMBOL_AT;
    let q = symbolStart;
    let hash = 0;
    while (q < end && buf[q] !== QUOTE) hash = (Math.imul(hash, 31) + (buf[q++] as number)) | 0;
    const symbol = this.symbol(hash, buf, symbolStart, q);
    const close = closeOf(buf, p + QUOTE_TAIL_MIN, end);
    const stamp = this.stampAt(buf, close, end);
    if (symbol < 0 || Number.isNaN(stamp) || target.subscribed[symbol] !== 1) {
      this.malformed += 1;
      return close < 0 ? end : close + 1;
    }
    this.quoteLatency.add(now - stamp);
    this.quotes += 1;
    return close + 1;
  }

  /** Control messages and bars: read the type, find the end respecting strings. */
  private other(target: ScanTarget, buf: Buffer, p: number, end: number): number {
    if (buf.toString('latin1', p, p + 6) !== '{"T":"') {
      this.malformed += 1;
      return p + 1;
    }
    const typeEnd = buf.indexOf(QUOTE, p + 6);
    const type = typeEnd < 0 ? '' : buf.toString('latin1', p + 6, typeEnd);
    if (type === 'resync') this.resyncs += 1;
    else if (type === 'subscription') target.subscriptionAcked = true;
    else if (type === 'error') this.malformed += 1;
    let depth = 0;
    let inString = false;
    for (let q = p; q < end; q += 1) {
      const b = buf[q];
      if (inString) {
        if (b === BACKSLASH) q += 1;
        else if (b === QUOTE) inString = false;
      } else if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACE || b === 0x5b) depth += 1;
      else if (b === CLOSE_BRACE || b === 0x5d) {
        depth -= 1;
        if (depth === 0) return q + 1;
      }
    }
    this.malformed += 1;
    return end;
  }

  /** The symbol's index, or -1 when the bytes are not a symbol of the universe. */
  private symbol(hash: number, buf: Buffer, start: number, end: number): number {
    const index = this.byHash.get(hash);
    if (index === undefined) return -1;
    const bytes = this.symbolBytes[index] as Buffer;
    if (bytes.length !== end - start) return -1;
    for (let i = 0; i < bytes.length; i += 1) if (bytes[i] !== buf[start + i]) return -1;
    return index;
  }

  /** The emit time (ms) of the message whose closing brace is at `close`; NaN when it is not there. */
  private stampAt(buf: Buffer, close: number, end: number): number {
    const at = close - STAMP_BACK;
    if (close < 0 || close >= end || buf[close - 1] !== QUOTE || buf[close - 2] !== 0x5a /* Z */)
      return Number.NaN;
    for (let i = 0; i < 5; i += 1) if (buf[at - 5 + i] !== T_FIELD[i]) return Number.NaN;
    // Nearly every message of a frame falls in the same second: compare "YYYY-MM-DDTHH:MM:SS" first.
    const cache = this.stampCache;
    for (let i = 18; i >= 0; i -= 1) {
      if (buf[at + i] !== cache[i]) {
        buf.copy(cache, 0, at, at + 19);
        this.stampCacheMs = Date.parse(`${buf.toString('latin1', at, at + 19)}Z`);
        break;
      }
    }
    const d1 = (buf[at + 20] as number) - 0x30;
    const d2 = (buf[at + 21] as number) - 0x30;
    const d3 = (buf[at + 22] as number) - 0x30;
    return this.stampCacheMs + d1 * 100 + d2 * 10 + d3;
  }
}

/** The first `}` at or after `from`, or -1. Trades and quotes hold no braces inside. */
function closeOf(buf: Buffer, from: number, end: number): number {
  for (let q = from; q < end; q += 1) if (buf[q] === CLOSE_BRACE) return q;
  return -1;
}

function hashOf(buf: Buffer, start: number, end: number): number {
  let hash = 0;
  for (let q = start; q < end; q += 1) hash = (Math.imul(hash, 31) + (buf[q] as number)) | 0;
  return hash;
}
