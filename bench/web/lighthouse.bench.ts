/**
 * Lighthouse figures for `npm run bench` (the same run as the `npm run test:perf` gate, in
 * tools/perf/lighthouse.ts): per route `/`, `/trade`, `/portfolio`, the performance, accessibility and
 * best-practices scores (desktop preset), the JavaScript transferred, and FCP/LCP/TBT/CLS, with the
 * budgets and which of them fail. Needs `npm run build` first. Takes about a minute; no quick mode.
 */
import { runLighthouse } from '../../tools/perf/lighthouse.js';

try {
  const report = await runLighthouse();
  process.stdout.write(
    `${JSON.stringify({
      tool: report.tool,
      chromium: report.chromium,
      preset: report.preset,
      seconds: report.seconds,
      budgets: report.budgets,
      withinBudgets: report.failures.length === 0,
      failures: report.failures,
      routes: Object.fromEntries(
        Object.entries(report.routes).map(([route, f]) => [
          route,
          {
            scores: f.scores,
            scriptBytes: f.scriptBytes,
            scriptRequests: f.scriptRequests,
            totalBytes: f.totalBytes,
            metrics: f.metrics,
            runs: f.runs,
          },
        ]),
      ),
    })}\n`,
  );
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`,
  );
}
