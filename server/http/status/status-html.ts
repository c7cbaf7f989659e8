import type { Incident, StatusPage } from '../../../contracts/ops.js';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const HEADLINE: Record<StatusPage['status'], string> = {
  operational: 'All systems operational',
  degraded: 'Some systems are degraded',
  outage: 'Major outage',
  maintenance: 'Scheduled maintenance in progress',
};

const percent = (v: number | null) =>
  v === null ? 'no data' : `${(Math.floor(v * 10_000) / 100).toFixed(2)} %`;
const barClass = (v: number | null) =>
  v === null ? 'none' : v >= 0.999 ? 'good' : v >= 0.95 ? 'warn' : 'bad';
const when = (iso: string | null) =>
  iso === null
    ? ''
    : `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.slice(0, 16).replace('T', ' '))} UTC</time>`;

function incidentHtml(i: Incident): string {
  const updates = i.updates
    .map(
      (u) => `<li><strong>${escapeHtml(u.status)}</strong> ${when(u.at)}<p>${escapeHtml(u.message)}</p></li>`,
    )
    .join('');
  const window =
    i.kind === 'maintenance' ? `<p class="muted">${when(i.startsAt)} – ${when(i.endsAt)}</p>` : '';
  const affects =
    i.components.length > 0 ? `<p class="muted">Affects: ${i.components.map(escapeHtml).join(', ')}</p>` : '';
  return `<article class="incident impact-${escapeHtml(i.impact)}"><h3>${escapeHtml(i.title)} <span class="tag">${escapeHtml(i.status)}</span></h3>${window}${affects}<ol class="updates">${updates}</ol></article>`;
}

/** The status page as HTML: no script, no inline style (the CSP forbids both), styled by /status.css. */
export function renderStatusHtml(page: StatusPage, title = 'Pulse status'): string {
  const components = page.components
    .map((c) => {
      const bars = c.days
        .map(
          (d) =>
            `<li class="bar ${barClass(d.uptime)}" title="${d.day}: ${percent(d.uptime)}"><span class="sr">${d.day}: ${percent(d.uptime)}</span></li>`,
        )
        .join('');
      return `<section class="component"><h3>${escapeHtml(c.name)} <span class="state state-${c.status}">${escapeHtml(c.status)}</span></h3><ol class="bars" aria-label="Uptime, last 90 days">${bars}</ol><p class="muted">90 days ago · ${percent(c.uptime90d)} uptime · today</p></section>`;
    })
    .join('');
  const active = page.incidents.filter((i) => i.status !== 'resolved');
  const past = page.incidents.filter((i) => i.status === 'resolved');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/status.css"><meta http-equiv="refresh" content="60"></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
<p class="overall overall-${page.status}">${HEADLINE[page.status]}</p>
${active.length > 0 ? `<h2>Current incidents</h2>${active.map(incidentHtml).join('')}` : ''}
${page.maintenance.length > 0 ? `<h2>Scheduled maintenance</h2>${page.maintenance.map(incidentHtml).join('')}` : ''}
<h2>Components</h2>${components || '<p class="muted">No public components yet.</p>'}
<h2>Past incidents</h2>${past.length > 0 ? past.map(incidentHtml).join('') : '<p class="muted">No incidents in the last 90 days.</p>'}
<footer class="muted">Updated ${when(page.generatedAt)} · <a href="/api/v1/status">JSON</a></footer>
</main></body></html>`;
}

/** The page's stylesheet, served as a static file so the CSP's style-src 'self' allows it. */
export const STATUS_CSS = `:root{color-scheme:light dark;--ok:#1a7f37;--warn:#bf8700;--bad:#cf222e;--none:#8c959f;--maint:#0969da}
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:Canvas;color:CanvasText}
main{max-width:52rem;margin:0 auto;padding:1.5rem}
.muted{opacity:.7;font-size:.875rem}
.overall{padding:1rem;border-radius:.5rem;font-weight:600;color:#fff}
.overall-operational{background:var(--ok)}.overall-degraded{background:var(--warn)}.overall-outage{background:var(--bad)}.overall-maintenance{background:var(--maint)}
.component{margin:1rem 0}.component h3{display:flex;justify-content:space-between;margin:.25rem 0}
.state{font-size:.875rem;font-weight:500}.state-operational{color:var(--ok)}.state-degraded{color:var(--warn)}.state-outage{color:var(--bad)}.state-maintenance{color:var(--maint)}.state-unknown{color:var(--none)}
.bars{display:flex;gap:2px;list-style:none;padding:0;margin:0;height:2rem}
.bar{flex:1;border-radius:1px}.bar.good{background:var(--ok)}.bar.warn{background:var(--warn)}.bar.bad{background:var(--bad)}.bar.none{background:var(--none);opacity:.35}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.incident{border-left:4px solid var(--warn);padding:.25rem 1rem;margin:1rem 0}.impact-critical,.impact-major{border-color:var(--bad)}
.tag{font-size:.75rem;border:1px solid currentColor;border-radius:1rem;padding:0 .5rem;font-weight:400}
.updates{list-style:none;padding:0}.updates p{margin:.25rem 0 .75rem}
`;
