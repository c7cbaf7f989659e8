import { MarketsWorkspace } from './markets-workspace.js';

/** Markets: the same workspace as the dashboard, with room for bid and ask in the quote table. */
export function MarketsPage() {
  return <MarketsWorkspace wide />;
}
