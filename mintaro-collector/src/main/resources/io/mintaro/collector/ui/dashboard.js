// The errors dashboard: error groups, filtered and paginated on the server.
import { api } from './api.js';
import { h, link, replace, table, serviceChip, knowServices } from './dom.js';
import { relative, timestamp, count, RANGES, rangeStart } from './format.js';
import { triageBadges, kindBadge, newBadge, occurrencesText, pager } from './widgets.js';
import { sparkline, bucketLabel } from './charts.js';
import { searchTerms } from './search.js';

const PAGE_SIZE = 50;
/** Bars of each group's chart over the selected range. */
const CHART_BUCKETS = 24;
const DEFAULTS = { status: 'all', speed: 'all', service: '', range: 'all', silenced: 'hide', q: '', page: '1' };
const STATUS = [['all', 'All'], ['error', 'Errors'], ['crash', 'Crashes'], ['ok', 'Not errors']];
const SPEED = [['all', 'Any speed'], ['slow', 'Slow'], ['fast', 'Fast']];

let lastQuery = '';

/** The dashboard's query string as last shown, so "back to errors" keeps the filters. */
export function rememberedDashboard() {
  return lastQuery;
}

function readFilters(query) {
  const f = {};
  for (const key of Object.keys(DEFAULTS)) f[key] = query.get(key) || DEFAULTS[key];
  if (!STATUS.some(s => s[0] === f.status)) f.status = DEFAULTS.status;
  if (!SPEED.some(s => s[0] === f.speed)) f.speed = DEFAULTS.speed;
  if (!RANGES.some(r => r[0] === f.range)) f.range = DEFAULTS.range;
  if (f.silenced !== 'show') f.silenced = 'hide';
  f.page = Math.max(1, parseInt(f.page, 10) || 1);
  return f;
}

function toQuery(f) {
  const q = new URLSearchParams();
  for (const [key, def] of Object.entries(DEFAULTS)) {
    const value = String(f[key] ?? '');
    if (value !== def && value !== '') q.set(key, value);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

function select(id, label, options, value, onChange) {
  const el = h('select', { id, name: id, 'aria-label': label },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
  el.addEventListener('change', () => onChange(el.value));
  return h('label', { class: 'filter' }, h('span', null, label), el);
}

export async function renderDashboard(ctx) {
  const f = readFilters(ctx.query);
  lastQuery = toQuery(f);
  ctx.title('Errors');
  const search = document.getElementById('search-input');
  if (search && document.activeElement !== search) search.value = f.q;

  const go = change => ctx.navigate('/' + toQuery({ ...f, page: 1, ...change }));

  const params = {
    status: f.status, speed: f.speed, service: f.service || null, ...searchTerms(f.q),
    from: rangeStart(f.range), silenced: f.silenced, page: f.page, pageSize: PAGE_SIZE, buckets: CHART_BUCKETS,
  };
  const [data, services] = await Promise.all([
    api.groups(params),
    api.services().catch(e => {
      if (e.name === 'Unauthorized') throw e;
      return { services: [] };
    }),
  ]);
  if (!ctx.current()) return;
  knowServices((services.services || []).map(s => s.name));

  const serviceNames = (services.services || []).map(s => s.name);
  if (f.service && !serviceNames.includes(f.service)) serviceNames.push(f.service);
  const filters = h('div', { class: 'filters', id: 'filters' },
    select('f-status', 'Status', STATUS, f.status, v => go({ status: v })),
    select('f-speed', 'Speed', SPEED, f.speed, v => go({ speed: v })),
    select('f-service', 'Service', [['', 'All services'], ...serviceNames.sort().map(n => [n, n])], f.service,
      v => go({ service: v })),
    select('f-range', 'Seen', RANGES.map(r => [r[0], r[1]]), f.range, v => go({ range: v })),
    (() => {
      const box = h('input', { type: 'checkbox', id: 'f-silenced', checked: f.silenced === 'show' });
      box.addEventListener('change', () => go({ silenced: box.checked ? 'show' : 'hide' }));
      return h('label', { class: 'filter check' }, box, h('span', null, 'Show silenced'));
    })(),
    f.q ? h('span', { class: 'filter-q' }, 'Matching ', h('q', null, f.q), ' ',
      h('button', { type: 'button', class: 'link', id: 'clear-q', onclick: () => go({ q: '' }) }, 'clear')) : null);

  const groups = data.groups || [];
  const rows = groups.map(g => {
    const href = `/groups/${encodeURIComponent(g.fingerprint)}`;
    const row = h('tr', { class: 'clickable group-row', dataset: { fingerprint: g.fingerprint } },
      h('td', { class: 'name' }, link(href, { class: 'group-link' }, g.name), ' ', newBadge(g),
        h('div', { class: 'muted small group-figures' }, occurrencesText(g))),
      h('td', null, serviceChip(g.service)),
      h('td', null, kindBadge(g)),
      // Every occurrence, counted ones included; the traces kept are in the line under the name.
      h('td', { class: 'num', title: occurrencesText(g) }, count(g.occurrences ?? g.count)),
      h('td', { class: 'trend' }, trend(g, data.bucketing)),
      h('td', { class: 'nowrap', title: timestamp(g.lastSeenAt) }, relative(g.lastSeenAt)),
      h('td', { class: 'triage-cell' }, triageBadges(g.triage)));
    row.addEventListener('click', event => {
      if (event.target.closest('a, button')) return;
      ctx.navigate(href);
    });
    return row;
  });

  const content = groups.length
    ? table(['Name', 'Service', 'Status', { text: 'Count', class: 'num' }, 'Over time', 'Last seen', 'Triage'], rows,
      { class: 'grid groups', id: 'groups' })
    : h('div', { class: 'empty', id: 'groups-empty' },
      h('p', null, 'No error groups match these filters.'),
      h('p', { class: 'muted' }, 'Mintaro stores a trace when a request fails or is slow in any service.'));

  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', null, 'Errors'),
      h('span', { class: 'muted', id: 'groups-total' }, `${count(data.total)} group${data.total === 1 ? '' : 's'}`)),
    filters,
    content,
    pager(data.page || f.page, data.pageSize || PAGE_SIZE, data.total || 0, page => ctx.navigate('/' + toQuery({ ...f, page }))));
  ctx.rendered('dashboard');
}

/** The group's occurrences per bucket of the range, as a small bar chart. */
function trend(g, bucketing) {
  if (!g.buckets || !bucketing) return null;
  const from = Date.parse(bucketing.from);
  const width = bucketing.bucketMs;
  return sparkline(g.buckets, {
    barClass: g.kind === 'error' ? 'bar-errors' : g.kind === 'slow' ? 'bar-counted' : null,
    ariaLabel: `occurrences from ${bucketLabel(from, width)} to ${bucketLabel(Date.parse(bucketing.to), width)}`,
    title: (i, value) => `${bucketLabel(from + i * width, width)}: ${count(value)} occurrence${value === 1 ? '' : 's'}`,
  });
}
