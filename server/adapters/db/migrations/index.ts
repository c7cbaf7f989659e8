import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as watchlists from './0002-watchlists.js';
import * as trading from './0003-trading.js';
import * as accountsSecurity from './0004-accounts-security.js';
import * as signals from './0010-signals.js';
import * as backtests from './0011-backtests.js';
import * as notify from './0020-notify.js';
import * as ops from './0030-ops.js';
import * as bars from './0040-bars.js';
import * as identities from './0050-identities-and-email-tokens.js';
import * as privacy from './0060-privacy.js';
import * as tradingIndexes from './0070-trading-indexes.js';
import * as usage from './0080-usage.js';
import * as passkeys from './0090-passkeys.js';
import * as brokerChoice from './0100-trading-broker-choice.js';
import * as paperOwnerFence from './0110-paper-owner-fence.js';

/** Every migration, in order. Forward-only: add a new file, never edit an applied one. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-watchlists': watchlists,
  '0003-trading': trading,
  '0004-accounts-security': accountsSecurity,
  '0010-signals': signals,
  '0011-backtests': backtests,
  '0020-notify': notify,
  '0030-ops': ops,
  '0040-bars': bars,
  '0050-identities-and-email-tokens': identities,
  '0060-privacy': privacy,
  '0070-trading-indexes': tradingIndexes,
  '0080-usage': usage,
  '0090-passkeys': passkeys,
  '0100-trading-broker-choice': brokerChoice,
  '0110-paper-owner-fence': paperOwnerFence,
};
