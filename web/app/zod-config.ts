import { z } from 'zod';

/**
 * zod compiles a faster parser with `new Function` when it can, and finds out by trying once. Pulse's CSP has no
 * 'unsafe-eval', so the try always fails: in the browser that is a CSP violation on every page load (a console
 * issue and a report the server files). `jitless` skips the probe; parsing is what it would be after it.
 * Imported first by main.tsx, before anything parses.
 */
z.config({ jitless: true });
