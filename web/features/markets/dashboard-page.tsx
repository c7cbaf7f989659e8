import { MarketsWorkspace } from './markets-workspace.js';

/** Dashboard: the chart of one symbol beside the user's watchlists and their live quotes. */
export function DashboardPage() {
  return <MarketsWorkspace />;
}
