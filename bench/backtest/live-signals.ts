/** Placeholder until the live engine exists. */
export function liveSignalsBench(_quick: boolean): Record<string, unknown> {
  return {};
}
