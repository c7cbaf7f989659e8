/** The outcome of one check: ok or not, how long it took, and a line saying why. */
export interface CheckOutcome {
  ok: boolean;
  latencyMs: number | null;
  detail: string;
}

/** A failed outcome. */
export const failed = (detail: string, latencyMs: number | null = null): CheckOutcome => ({
  ok: false,
  latencyMs,
  detail,
});
