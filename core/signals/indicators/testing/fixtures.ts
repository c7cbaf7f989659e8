/** Columns of a generated OHLCV series (time in epoch ms). */
export type OhlcvColumns = {
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
};

/** A deterministic PRNG (mulberry32) so every generated series is reproducible from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a generated series contains besides a random walk. */
export type SeriesShape = {
  /** Base price the walk starts from (1e-4 and 1e7 exercise the scale). */
  price?: number;
  /** Inclusive bar ranges where o = h = l = c is constant (flat windows). */
  flat?: readonly (readonly [number, number])[];
  /** Bars that open with a jump of this fraction (gaps). */
  gaps?: readonly (readonly [number, number])[];
};

/** A random-walk OHLCV series of `n` bars with optional flat windows and gaps; one bar a minute. */
export function randomSeries(n: number, seed: number, shape: SeriesShape = {}): OhlcvColumns {
  const next = rng(seed);
  const cols: OhlcvColumns = { time: [], open: [], high: [], low: [], close: [], volume: [] };
  let price = shape.price ?? 100;
  const gaps = new Map(shape.gaps ?? []);
  for (let i = 0; i < n; i++) {
    const flat = shape.flat?.some(([a, b]) => i >= a && i <= b) ?? false;
    const gap = gaps.get(i);
    let open = gap === undefined ? price : price * (1 + gap);
    let close = open * (1 + (next() - 0.5) * 0.04);
    let high = Math.max(open, close) * (1 + next() * 0.01);
    let low = Math.min(open, close) * (1 - next() * 0.01);
    if (flat) open = close = high = low = price;
    cols.time.push(1_700_000_000_000 + i * 60_000);
    cols.open.push(open);
    cols.high.push(high);
    cols.low.push(low);
    cols.close.push(close);
    cols.volume.push(flat ? 1000 : Math.round(100 + next() * 10_000));
    price = close;
  }
  return cols;
}

/** The generated series every TA-Lib comparison runs over, by name. */
export function standardSeries(): Record<string, OhlcvColumns> {
  return {
    'random walk': randomSeries(600, 1),
    'flat windows': randomSeries(400, 2, {
      flat: [
        [0, 40],
        [150, 230],
        [300, 399],
      ],
    }),
    gaps: randomSeries(400, 3, {
      gaps: [
        [50, 0.15],
        [120, -0.2],
        [200, 0.3],
        [201, -0.25],
      ],
    }),
    'tiny prices (1e-4)': randomSeries(400, 4, { price: 1e-4 }),
    'huge prices (1e7)': randomSeries(400, 5, { price: 1e7 }),
    'shorter than warm-up': randomSeries(8, 6),
    'single bar': randomSeries(1, 7),
    empty: randomSeries(0, 8),
  };
}
