import type { PrivacyExportJson } from '../../contracts/privacy.js';
import { AppError } from '../errors.js';
import type { AuditLog, UserStore } from '../ports.js';
import type { PrivacyStore } from './privacy-store.js';

/**
 * Everything Pulse holds about a user, as one JSON document (GDPR art. 15 and 20, CCPA "right to
 * know"): every table's rows without secrets, hashes or envelopes. The export itself is audited.
 */
export async function exportUserData(
  input: { userId: string; actorId: string; ip: string | null; now: Date },
  deps: { privacy: PrivacyStore; users: UserStore; audit: AuditLog },
): Promise<PrivacyExportJson> {
  const user = await deps.users.findById(input.userId);
  if (!user) throw new AppError('AUTH_NOT_FOUND', 'No such user.');
  const data = await deps.privacy.dump(input.userId);
  await deps.audit.record({
    actorId: input.actorId,
    action: 'privacy.exported',
    ip: input.ip,
    detail: { userId: input.userId, tables: Object.keys(data).length },
  });
  // Dates, bigints and numerics become strings here, once, so the document is plain JSON.
  const plain = JSON.parse(
    JSON.stringify(data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  ) as PrivacyExportJson['data'];
  return {
    format: 'pulse-export/1',
    exportedAt: input.now.toISOString(),
    user: { id: user.id, email: user.email, role: user.role, createdAt: user.createdAt.toISOString() },
    data: plain,
  };
}
