// The slow view: the slowest endpoints and spans over a time range (GET /api/slow).
import { api } from './api.js';
import { h, replace, table, serviceChip, knowServices } from './dom.js';
import { duration, count, RANGES, rangeStart } from './format.js';
import { sparkline } from './charts.js';

const DEFAULT_RANGE = '24h';

export async function renderSlow(ctx) {
  let range = ctx.query.get('range') || DEFAULT_RANGE;
  if (!RANGES.some(r => r[0] === range)) range = DEFAULT_RANGE;
  const service = ctx.query.get('service') || '';
  ctx.title('Slow');
  const [data, services] = await Promise.all([
    api.slow({ from: rangeStart(range), service: service || null, limit: 50 }),
    api.services().catch(e => {
      if (e.name === 'Unauthorized') throw e;
      return { services: [] };
    }),
  ]);
  if (!ctx.current()) return;
  knowServices((services.services || []).map(s => s.name));

  const go = change => {
    const q = new URLSearchParams({ range, service, ...change });
    if (q.get('range') === DEFAULT_RANGE) q.delete('range');
    if (!q.get('service')) q.delete('service');
    const text = q.toString();
    ctx.navigate(text ? `/slow?${text}` : '/slow');
  };
  const rangeSelect = h('select', { id: 's-range', 'aria-label': 'Time range' },
    RANGES.map(([v, text]) => h('option', { value: v, selected: v === range }, text)));
  rangeSelect.addEventListener('change', () => go({ range: rangeSelect.value }));
  const names = (services.services || []).map(s => s.name).sort();
  if (service && !names.includes(service)) names.push(service);
  const serviceSelect = h('select', { id: 's-service', 'aria-label': 'Service' },
    h('option', { value: '' }, 'All services'),
    names.map(n => h('option', { value: n, selected: n === service }, n)));
  serviceSelect.addEventListener('change', () => go({ service: serviceSelect.value }));

  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', null, 'Slow'),
      h('span', { class: 'muted' }, 'over the stored traces only (errors, slow and manual triggers), not all traffic')),
    h('div', { class: 'filters' },
      h('label', { class: 'filter' }, h('span', null, 'Range'), rangeSelect),
      h('label', { class: 'filter' }, h('span', null, 'Service'), serviceSelect)),
    h('section', { class: 'panel' }, h('h2', null, 'Slowest endpoints'),
      statsTable(data.endpoints || [], false, 'slow-endpoints', data.latencyBoundsMs || [])),
    h('section', { class: 'panel' }, h('h2', null, 'Slowest spans'),
      statsTable(data.spans || [], true, 'slow-spans', data.latencyBoundsMs || [])));
  ctx.rendered('slow');
}

function statsTable(rows, withKind, id, bounds) {
  if (!rows.length) return h('p', { class: 'empty', id: `${id}-empty` }, 'Nothing in this range.');
  const worst = Math.max(...rows.map(r => r.p95Ms || 0), 1);
  const headers = ['Service', 'Name', ...(withKind ? ['Kind'] : []),
    { text: 'Count', class: 'num' }, { text: 'p50', class: 'num' }, { text: 'p95', class: 'num' }, { text: 'Max', class: 'num' }, '', 'Latency'];
  return table(headers, rows.map(r => {
    const bar = h('div', { class: 'p95-bar' });
    bar.style.width = `${Math.max(1, (r.p95Ms / worst) * 100)}%`;
    const search = `/?q=${encodeURIComponent(r.name)}&service=${encodeURIComponent(r.service)}&speed=slow`;
    return h('tr', { class: 'stat-row', dataset: { service: r.service, name: r.name } },
      h('td', null, serviceChip(r.service)),
      h('td', { class: 'mono' }, h('a', { href: search, 'data-nav': true, title: 'Slow error groups of this endpoint' }, r.name)),
      withKind ? h('td', { class: 'muted' }, r.kind || '') : null,
      h('td', { class: 'num' }, count(r.count)),
      h('td', { class: 'num' }, duration(r.p50Ms)),
      h('td', { class: 'num strong' }, duration(r.p95Ms)),
      h('td', { class: 'num' }, duration(r.maxMs)),
      h('td', { class: 'bar-cell' }, h('div', { class: 'p95-track' }, bar)),
      h('td', { class: 'latency' }, r.latency ? sparkline(r.latency, {
        width: 160, barClass: 'bar-latency',
        ariaLabel: `latency distribution of ${r.name}`,
        title: (i, value) => `${binLabel(bounds, i)}: ${count(value)}`,
      }) : null));
  }), { class: 'grid stats', id });
}

/** "2–5 ms", "under 1 ms", "50 s or more": bin i of the latency bounds. */
function binLabel(bounds, i) {
  if (i === 0) return `under ${duration(bounds[0])}`;
  if (i >= bounds.length) return `${duration(bounds[bounds.length - 1])} or more`;
  return `${duration(bounds[i - 1])}–${duration(bounds[i])}`;
}
