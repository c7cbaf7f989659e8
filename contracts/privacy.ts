import { z } from 'zod';

/** What a user may consent to: diagnostics (errors, web vitals) and optional notifications. */
export const ConsentPurpose = z.enum(['analytics', 'notifications']);
export type ConsentPurpose = z.infer<typeof ConsentPurpose>;

/** One recorded consent decision. */
export const ConsentRecordJson = z.object({ purpose: ConsentPurpose, granted: z.boolean(), at: z.string() });
export type ConsentRecordJson = z.infer<typeof ConsentRecordJson>;

/** The current answers (false until given) and every change, newest first. */
export const ConsentJson = z.object({
  analytics: z.boolean(),
  notifications: z.boolean(),
  history: z.array(ConsentRecordJson),
});
export type ConsentJson = z.infer<typeof ConsentJson>;

/** Changes one or both answers; an unchanged answer records nothing. */
export const ConsentBody = z
  .object({ analytics: z.boolean().optional(), notifications: z.boolean().optional() })
  .strict()
  .refine((b) => b.analytics !== undefined || b.notifications !== undefined, 'name at least one purpose');
export type ConsentBody = z.infer<typeof ConsentBody>;

/** Asking to delete one's account: the password again. */
export const DeleteAccountBody = z.object({ password: z.string().min(1).max(256) }).strict();
export type DeleteAccountBody = z.infer<typeof DeleteAccountBody>;

/** Whether the account is scheduled for deletion, and when it will be erased. */
export const DeletionStatusJson = z.object({
  scheduled: z.boolean(),
  requestedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  graceDays: z.number().int(),
});
export type DeletionStatusJson = z.infer<typeof DeletionStatusJson>;

/** The GDPR/CCPA export: everything Pulse holds about one user, one section per kind of data. */
export const PrivacyExportJson = z.object({
  format: z.literal('pulse-export/1'),
  exportedAt: z.string(),
  user: z.object({ id: z.string(), email: z.string(), role: z.string(), createdAt: z.string() }),
  /** One array of rows per stored table (secrets, hashes and envelopes left out). */
  data: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
});
export type PrivacyExportJson = z.infer<typeof PrivacyExportJson>;
