// Detection and cost of the in-process firewall: runs the engine over the OWASP CRS regression corpus
// (attacks) and over bench/firewall/legit-corpus.jsonl (Pulse's own legitimate traffic) and prints JSON.
// Usage: npx tsx bench/firewall/detection.ts [crs-corpus.jsonl] [--legit legit.jsonl] [--write-results]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  createFirewall,
  fromRawRequest,
  PULSE_EXCLUSIONS,
  type InspectedRequest,
  type Paranoia,
} from '../../server/edge/firewall/index.js';
import { renderResults, type DetectionResult } from './render-results.js';

const root = path.resolve(import.meta.dirname, '../..');

/** One line of the CRS regression corpus (fields in /work/shared/waf/README.md). */
interface CrsCase {
  id: string;
  category: string;
  expect: 'detect' | 'allow';
  scope: 'rule' | 'all';
  pl: number | null;
  method: string;
  uri: string;
  headers: Record<string, string>;
  body: string;
}

interface LegitCase {
  id: string;
  method: string;
  uri: string;
  headers: Record<string, string>;
  body?: string;
}

function readJsonLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? 0;
}

function timeEach(
  inspect: (r: InspectedRequest) => unknown,
  requests: readonly InspectedRequest[],
  rounds: number,
) {
  for (let i = 0; i < 3; i++) for (const r of requests) inspect(r);
  const samples: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let round = 0; round < rounds; round++) {
    for (const r of requests) {
      const start = process.hrtime.bigint();
      inspect(r);
      samples.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  const cpu = process.cpuUsage(cpuStart);
  samples.sort((a, b) => a - b);
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return {
    p50: round1(percentile(samples, 0.5)),
    p99: round1(percentile(samples, 0.99)),
    cpuMeanUs: round1((cpu.user + cpu.system) / samples.length),
  };
}

const rate = (hit: number, total: number) => (total === 0 ? null : Math.round((hit / total) * 1000) / 10);

function main(argv: readonly string[]) {
  const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--legit');
  const legitFlag = argv.indexOf('--legit');
  const crsFile = path.resolve(root, positional[0] ?? '../shared/waf/crs-regression.jsonl');
  const legitFile = path.resolve(
    root,
    legitFlag === -1 ? 'bench/firewall/legit-corpus.jsonl' : (argv[legitFlag + 1] ?? ''),
  );
  const crs = readJsonLines<CrsCase>(crsFile).map((c) => ({ c, request: fromRawRequest(c) }));
  const legit = readJsonLines<LegitCase>(legitFile).map((c) => ({ c, request: fromRawRequest(c) }));

  const levels: Record<string, unknown> = {};
  for (const paranoia of [1, 2] as Paranoia[]) {
    const firewall = createFirewall({ paranoia, exclusions: PULSE_EXCLUSIONS });
    const categories: Record<
      string,
      { detect: number; blocked: number; atLevel: number; blockedAtLevel: number }
    > = {};
    let detect = 0,
      blocked = 0,
      atLevel = 0,
      blockedAtLevel = 0,
      benign = 0,
      benignBlocked = 0;
    for (const { c, request } of crs) {
      const hit = firewall.inspect(request).action === 'block';
      if (c.expect === 'allow') {
        if (c.scope === 'all') {
          benign++;
          if (hit) benignBlocked++;
        }
        continue;
      }
      const cat = (categories[c.category] ??= { detect: 0, blocked: 0, atLevel: 0, blockedAtLevel: 0 });
      const inLevel = c.pl !== null && c.pl <= paranoia;
      cat.detect++;
      detect++;
      if (hit) {
        cat.blocked++;
        blocked++;
      }
      if (inLevel) {
        cat.atLevel++;
        atLevel++;
        if (hit) {
          cat.blockedAtLevel++;
          blockedAtLevel++;
        }
      }
    }
    const falsePositives = legit
      .filter(({ request }) => firewall.inspect(request).action === 'block')
      .map(({ c, request }) => ({
        id: c.id,
        rules: firewall.inspect(request).matches.map((m) => `${m.ruleId}@${m.field}`),
      }));
    levels[`pl${paranoia}`] = {
      overall: {
        cases: detect,
        detected: rate(blocked, detect),
        casesAtLevel: atLevel,
        detectedAtLevel: rate(blockedAtLevel, atLevel),
      },
      categories: Object.fromEntries(
        Object.entries(categories)
          .sort()
          .map(([k, v]) => [
            k,
            {
              cases: v.detect,
              detected: rate(v.blocked, v.detect),
              casesAtLevel: v.atLevel,
              detectedAtLevel: rate(v.blockedAtLevel, v.atLevel),
            },
          ]),
      ),
      crsBenign: { cases: benign, blocked: benignBlocked },
      legit: {
        cases: legit.length,
        falsePositives: falsePositives.length,
        rate: rate(falsePositives.length, legit.length),
        examples: falsePositives.slice(0, 20),
      },
    };
  }
  const firewall = createFirewall({ paranoia: 1, exclusions: PULSE_EXCLUSIONS, verdictCacheSize: 0 });
  const inspect = (r: InspectedRequest) => firewall.inspect(r);
  const result = {
    engine: 'pulse in-process firewall',
    corpus: path.relative(root, crsFile),
    legitCorpus: path.relative(root, legitFile),
    node: process.version,
    detection: levels,
    costUs: {
      legitPl1: timeEach(
        inspect,
        legit.map((l) => l.request),
        20,
      ),
      crsPl1: timeEach(
        inspect,
        crs.map((l) => l.request),
        2,
      ),
    },
    reference: {
      engine: 'nginx + ModSecurity 3.0.9 + CRS 3.3.4 (Debian 12), PL1, blocking; stated, not measured here',
      detectedAll: 51.5,
      detectedAtLevel: 71.0,
      legitFalsePositiveRate: 2,
      cpuMsPerRequest: '2-3',
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (argv.includes('--write-results'))
    writeFileSync(path.join(root, 'bench/firewall/RESULTS.md'), renderResults(result as DetectionResult));
}

main(process.argv.slice(2));
