import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A sampled value read at scrape time (gateway stats, feed state …). */
export type Sampler = () => number;

/**
 * Pulse's Prometheus registry: process defaults (memory, event-loop lag, GC, handles), HTTP
 * request metrics by route, and gauges that read live component state when scraped.
 */
export class PulseMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;

  constructor(options: { prefix?: string; defaults?: boolean } = {}) {
    const prefix = options.prefix ?? 'pulse_';
    if (options.defaults !== false)
      collectDefaultMetrics({ register: this.registry, prefix, eventLoopMonitoringPrecision: 20 });
    this.httpRequests = new Counter({
      name: `${prefix}http_requests_total`,
      help: 'HTTP requests by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'HTTP request latency by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
  }

  /** A gauge whose value is read from `sample` at each scrape. */
  gauge(name: string, help: string, sample: Sampler): void {
    new Gauge({
      name: `pulse_${name}`,
      help,
      registers: [this.registry],
      collect() {
        this.set(sample());
      },
    });
  }

  /** A counter-like value owned elsewhere (a stats object), exposed as a monotonic gauge named *_total. */
  total(name: string, help: string, sample: Sampler): void {
    let reported = 0;
    new Counter({
      name: `pulse_${name}_total`,
      help,
      registers: [this.registry],
      collect() {
        const target = sample();
        if (target > reported) {
          this.inc(target - reported);
          reported = target;
        }
      },
    });
  }

  /** A gauge with labels, filled at scrape time. */
  labelled<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    sample: () => Array<[Record<L, string>, number]>,
  ): void {
    new Gauge({
      name: `pulse_${name}`,
      help,
      labelNames: [...labelNames],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, value] of sample())
          this.set(labels as Partial<Record<L, string | number>>, value);
      },
    });
  }
}
