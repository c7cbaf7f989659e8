import type { ConsentBody, ConsentJson, ConsentPurpose } from '../../contracts/privacy.js';
import type { AuditLog } from '../ports.js';
import type { PrivacyStore } from './privacy-store.js';

const PURPOSES: readonly ConsentPurpose[] = ['analytics', 'notifications'];

/** A user's current answers (false until given: consent is opt-in) and every change, newest first. */
export async function getConsent(userId: string, deps: { privacy: PrivacyStore }): Promise<ConsentJson> {
  const history = await deps.privacy.consentHistory(userId);
  const current = (purpose: ConsentPurpose) => history.find((r) => r.purpose === purpose)?.granted ?? false;
  return {
    analytics: current('analytics'),
    notifications: current('notifications'),
    history: history.map((r) => ({ purpose: r.purpose, granted: r.granted, at: r.at.toISOString() })),
  };
}

/** Records each first or changed answer, with its time, and audits it; a repeated answer records nothing. */
export async function setConsent(
  input: { userId: string; body: ConsentBody; ip: string | null; now: Date },
  deps: { privacy: PrivacyStore; audit: AuditLog },
): Promise<ConsentJson> {
  const before = await getConsent(input.userId, deps);
  const changed: Partial<Record<ConsentPurpose, boolean>> = {};
  for (const purpose of PURPOSES) {
    const granted = input.body[purpose];
    // A first answer is recorded even when it is "no": an explicit refusal is not the same as silence.
    const answered = before.history.some((r) => r.purpose === purpose);
    if (granted === undefined || (answered && granted === before[purpose])) continue;
    await deps.privacy.recordConsent(input.userId, { purpose, granted, at: input.now });
    changed[purpose] = granted;
  }
  if (Object.keys(changed).length > 0)
    await deps.audit.record({
      actorId: input.userId,
      action: 'privacy.consent_changed',
      ip: input.ip,
      detail: changed,
    });
  return getConsent(input.userId, deps);
}
