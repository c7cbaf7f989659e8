import { PostgresAdvisoryLock } from './advisory-lock.js';

/** The advisory-lock key of the owner of paper trading (the ops singletons use OPS_LEADER_KEY). */
export const PAPER_OWNER_KEY = 0x5055_4c54;

/** The lock that makes one node the owner of paper trading: {@link PostgresAdvisoryLock} on its own key. */
export class PostgresOwnerLock extends PostgresAdvisoryLock {
  constructor(url: string, options: { key?: number; checkTimeoutMs?: number } = {}) {
    super(url, options.key ?? PAPER_OWNER_KEY, {
      applicationName: 'pulse-paper-owner',
      ...(options.checkTimeoutMs !== undefined && { checkTimeoutMs: options.checkTimeoutMs }),
    });
  }
}
