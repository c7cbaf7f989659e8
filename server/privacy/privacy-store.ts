import type { ConsentPurpose } from '../../contracts/privacy.js';

/** One recorded consent decision. */
export interface ConsentRecord {
  purpose: ConsentPurpose;
  granted: boolean;
  at: Date;
}

/** A request to delete an account after a grace period. */
export interface DeletionRequest {
  userId: string;
  requestedAt: Date;
  dueAt: Date;
  /** The user themself, or the admin who erased them. */
  requestedBy: string;
}

/** How long each kind of record is kept, in days (see RetentionPolicy). */
export interface RetentionCutoffs {
  /** Sessions that expired before this, and sign-in challenges that expired. */
  sessionsExpiredBefore: Date;
  /** Finished notification deliveries (delivered, failed, dropped) created before this. */
  deliveriesBefore: Date;
  /** Web-vitals samples taken before this. */
  vitalsBefore: Date;
  /** Client error groups last seen before this. */
  errorsBefore: Date;
  /** Raw monitor check results before this. */
  monitorResultsBefore: Date;
}

/** Everything stored about one user, one array of rows per table (secrets left out). */
export type UserDataDump = Record<string, Record<string, unknown>[]>;

/** Consent records, deletion requests, the export and erasure of a user's data, and retention. */
export interface PrivacyStore {
  /** Every consent decision of a user, newest first. */
  consentHistory(userId: string): Promise<ConsentRecord[]>;
  recordConsent(userId: string, record: ConsentRecord): Promise<void>;
  /** The user's open (neither cancelled nor carried out) deletion request. */
  openDeletion(userId: string): Promise<DeletionRequest | undefined>;
  /** Opens a request, or returns the one already open. */
  scheduleDeletion(request: DeletionRequest): Promise<DeletionRequest>;
  /** Cancels the open request; false when there is none. */
  cancelDeletion(userId: string, at: Date): Promise<boolean>;
  /** Open requests whose grace period has ended, oldest first, at most `limit`. */
  dueDeletions(now: Date, limit: number): Promise<DeletionRequest[]>;
  /** Whether the user has a paper trading account (so open orders may need cancelling before erasure). */
  hasTradingAccount(userId: string): Promise<boolean>;
  /** Whether the user started a session (signed in) after `since`. */
  signedInSince(userId: string, since: Date): Promise<boolean>;
  /** Everything held about the user. */
  dump(userId: string): Promise<UserDataDump>;
  /**
   * Erases a user in one transaction: personal data deleted, the user row kept as a tombstone with
   * `tombstoneEmail` and an unusable password, trading records kept (anonymised by the tombstone),
   * the audit log untouched; closes any open deletion request. False when already erased (or unknown).
   */
  erase(
    userId: string,
    input: { at: Date; tombstoneEmail: string; unusableHash: string; by: string },
  ): Promise<boolean>;
  /** Deletes rows past their retention, at most `batch` rows per table per call; counts per table. */
  prune(cutoffs: RetentionCutoffs, batch: number): Promise<Record<string, number>>;
}
