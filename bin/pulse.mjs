#!/usr/bin/env node
// The `pulse` command: builds whatever is missing or older than its sources, then runs dist/cli.
import { ensureBuilt } from '../tools/build/ensure-built.mjs';

await ensureBuilt({ quiet: process.argv.includes('--help') });
await import('../dist/cli/pulse.js');
