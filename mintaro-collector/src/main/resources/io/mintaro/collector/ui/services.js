// The services views: every service with its versions, agents and activity (GET /api/services),
// and one service with its agents, what their recorders report and its activity over time
// (GET /api/services/{service}).
import { api } from './api.js';
import { h, link, replace, table, serviceChip, knowServices, badge } from './dom.js';
import { relative, timestamp, duration, count, bytes, RANGES, rangeStart } from './format.js';
import { bars, bucketLabel } from './charts.js';

const DEFAULT_RANGE = '24h';
// "All time" has no start, and a service's activity is read by buckets from a start.
const SERVICE_RANGES = RANGES.filter(r => r[2] != null);
// Key, button text, and the word for one and for several in the chart's tooltips.
const SERIES = [['triggers', 'Triggers', 'trigger', 'triggers'], ['errors', 'Errors', 'error', 'errors'],
  ['stored', 'Stored', 'stored', 'stored'], ['counted', 'Counted', 'counted', 'counted']];

function readRange(query) {
  const range = query.get('range') || DEFAULT_RANGE;
  return SERVICE_RANGES.some(r => r[0] === range) ? range : DEFAULT_RANGE;
}

function rangeQuery(range) {
  return range === DEFAULT_RANGE ? '' : `?range=${encodeURIComponent(range)}`;
}

function rangeSelect(range, onChange) {
  const select = h('select', { id: 'sv-range', 'aria-label': 'Time range' },
    SERVICE_RANGES.map(([v, text]) => h('option', { value: v, selected: v === range }, text)));
  select.addEventListener('change', () => onChange(select.value));
  return h('div', { class: 'filters' }, h('label', { class: 'filter' }, h('span', null, 'Range'), select));
}

/** "2.4.1 ×2" badges, most connected first (the API's order); agents without a version as "none". */
function versionBadges(versions) {
  if (!versions || !versions.length) return h('span', { class: 'muted' }, '–');
  return h('span', { class: 'badges versions' }, versions.map(v => badge(
    `${v.version == null ? 'none' : v.version} ×${count(v.connected)}`,
    v.connected > 0 ? 'ok' : 'muted',
    { class: 'version', dataset: { version: v.version == null ? '' : v.version },
      title: `${count(v.connected)} connected, ${count(v.agents)} seen in the range` })));
}

function agentsText(s) {
  return `${count(s.agents)} / ${count(s.agentsSeen)}`;
}

export async function renderServices(ctx) {
  const range = readRange(ctx.query);
  ctx.title('Services');
  const data = await api.services({ from: rangeStart(range) });
  if (!ctx.current()) return;
  const list = data.services || [];
  knowServices(list.map(s => s.name));

  const rows = list.map(s => {
    const href = `/services/${encodeURIComponent(s.name)}${rangeQuery(range)}`;
    const row = h('tr', { class: 'clickable service-row', dataset: { service: s.name } },
      h('td', { class: 'name' }, link(href, { class: 'service-link' }, serviceChip(s.name))),
      h('td', { class: 'versions-cell' }, versionBadges(s.versions)),
      h('td', { class: 'num agents', title: 'connected / seen in the range' }, agentsText(s)),
      h('td', { class: 'nowrap last-seen', title: timestamp(s.lastSeenAt) }, relative(s.lastSeenAt)),
      h('td', { class: 'num triggers' }, count(s.triggers)),
      h('td', { class: 'num errors' + (s.errors > 0 ? ' nonzero' : '') }, count(s.errors)),
      h('td', { class: 'num stored' }, count(s.stored)));
    row.addEventListener('click', event => {
      if (event.target.closest('a, button')) return;
      ctx.navigate(href);
    });
    return row;
  });

  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', null, 'Services'),
      h('span', { class: 'muted' }, 'versions, agents and what each service triggered and stored')),
    rangeSelect(range, v => ctx.navigate(`/services${rangeQuery(v)}`)),
    list.length
      ? table(['Name', 'Versions', { text: 'Agents', class: 'num' }, 'Last seen', { text: 'Triggers', class: 'num' },
        { text: 'Errors', class: 'num' }, { text: 'Stored', class: 'num' }], rows, { class: 'grid services', id: 'services' })
      : h('div', { class: 'empty', id: 'services-empty' }, h('p', null, 'No agent has registered yet.')),
    h('p', { class: 'muted panel-note' }, 'Agents: connected now / seen in the range. Triggers: received from the '
      + "service's agents. Errors and stored: traces the service triggered first."));
  ctx.rendered('services');
}

export async function renderService(ctx, name) {
  const range = readRange(ctx.query);
  let series = ctx.query.get('series') || 'triggers';
  if (!SERIES.some(s => s[0] === series)) series = 'triggers';
  ctx.title(name);
  const data = await api.service(name, { from: rangeStart(range) });
  if (!ctx.current()) return;
  knowServices([name]);
  const s = data.service;
  const activity = data.activity;

  const chartBox = h('div', { class: 'chart-box', id: 'activity-chart' });
  const seriesButtons = SERIES.map(([key, text]) => h('button', {
    type: 'button', class: `seg seg-${key}`, 'aria-pressed': String(key === series), dataset: { series: key },
    onclick: () => {
      series = key;
      for (const b of seriesButtons) b.setAttribute('aria-pressed', String(b.dataset.series === key));
      const q = new URLSearchParams();
      if (range !== DEFAULT_RANGE) q.set('range', range);
      if (key !== 'triggers') q.set('series', key);
      const text = q.toString();
      ctx.updateUrl(`/services/${encodeURIComponent(name)}${text ? `?${text}` : ''}`);
      replace(chartBox, chart(activity, key));
    },
  }, text));
  replace(chartBox, chart(activity, series));

  replace(ctx.main,
    h('div', { class: 'group-head', id: 'service-head' },
      h('div', { class: 'crumbs' }, link(`/services${rangeQuery(range)}`, { id: 'back-to-services' }, '← Services')),
      h('h1', { id: 'service-name' }, serviceChip(name)),
      h('div', { class: 'meta' },
        versionBadges(s.versions),
        h('span', { id: 'service-agents', title: 'connected / seen in the range' }, h('strong', null, agentsText(s)),
          ' agents connected'),
        h('span', { title: timestamp(s.lastSeenAt) }, 'last seen ', relative(s.lastSeenAt)))),
    rangeSelect(range, v => ctx.navigate(`/services/${encodeURIComponent(name)}${rangeQuery(v)}`)),
    h('section', { class: 'panel', 'aria-label': 'Activity' },
      h('div', { class: 'section-head' }, h('h2', null, 'Activity'),
        h('span', { class: 'segmented', role: 'group', 'aria-label': 'Series' }, seriesButtons),
        h('span', { class: 'muted small', id: 'activity-totals' },
          SERIES.map(([key]) => amount(s[key], key)).join(' · ') + `, per ${activity.bucket}`)),
      chartBox),
    recorderPanel(data.stats),
    h('section', { class: 'panel', 'aria-label': 'Agents' },
      h('h2', null, 'Agents'),
      agentsTable(data.agents || [])));
  ctx.rendered('service');
}

/** "1 trigger", "3 triggers". */
function amount(n, series) {
  const [, , one, several] = SERIES.find(s => s[0] === series);
  return `${count(n)} ${n === 1 ? one : several}`;
}

function fact(nameText, value, id) {
  return h('div', { class: 'fact' }, h('dt', null, nameText), h('dd', { id }, value));
}

/** The connected agents' recorders, added up (the API's "stats"). */
function recorderPanel(st) {
  const body = !st || !st.agentsReporting
    ? h('p', { class: 'muted', id: 'recorder-none' }, 'No connected agent has reported its recorder yet.')
    : h('dl', { class: 'facts', id: 'recorder' },
      fact('Agents reporting', count(st.agentsReporting), 'rec-agents'),
      fact('Shortest history', st.historyMs == null ? '–' : duration(st.historyMs), 'rec-history'),
      fact('Short of history', st.retentionShort
        ? badge(`${count(st.retentionShort)} agent${st.retentionShort === 1 ? '' : 's'}`, 'slow') : 'none', 'rec-short'),
      fact('Buffers', bytes(st.bufferBytes), 'rec-buffers'),
      fact('Triggers reported', count(st.triggersReported), 'rec-reported'),
      fact('Rate-limited', count(st.triggersRateLimited), 'rec-rate-limited'),
      fact('Group-limited', count(st.triggersGroupLimited), 'rec-group-limited'),
      fact('Counted', count(st.triggersCounted), 'rec-counted'),
      fact('Dropped', count(st.triggersDropped), 'rec-dropped'),
      fact('Batches failed', count(st.batchesFailed), 'rec-batches-failed'));
  return h('section', { class: 'panel', 'aria-label': 'Recorder' },
    h('h2', null, 'Recorders'), body,
    h('p', { class: 'muted panel-note' }, 'Figures of the connected agents since each process started, as their '
      + 'recorders last reported them (at most once a minute).'));
}

function agentsTable(agents) {
  if (!agents.length) return h('p', { class: 'muted', id: 'agents-empty' }, 'No agent seen in this range.');
  const rows = agents.map(a => {
    const st = a.stats;
    return h('tr', { class: 'agent-row' + (a.connected ? ' connected' : ''), dataset: { agentId: a.agentId } },
      h('td', { class: 'mono small' }, a.agentId),
      h('td', { class: 'host' }, a.host || '–', a.pid != null ? h('span', { class: 'muted small' }, ` pid ${a.pid}`) : null),
      h('td', { class: 'version' }, a.version == null ? h('span', { class: 'muted' }, 'none') : a.version),
      h('td', { class: 'muted small' }, a.sdk || '–'),
      h('td', { class: 'status' }, a.connected ? badge('connected', 'ok') : badge('gone', 'muted')),
      h('td', { class: 'nowrap last-seen', title: timestamp(a.lastSeenAtMs) }, relative(a.lastSeenAtMs)),
      h('td', { class: 'num history' }, st && st.historyMs != null ? duration(st.historyMs) : '–',
        st && st.retentionShort ? [' ', badge('short', 'slow', { title: 'Holds less history than a slow request needs' })] : null),
      h('td', { class: 'num buffer' }, st ? bytes(st.bufferBytes) : '–'),
      h('td', { class: 'num rate-limited' }, st ? count(st.triggersRateLimited) : '–'),
      h('td', { class: 'num counted' }, st ? count(st.triggersCounted) : '–'),
      h('td', { class: 'num dropped' + (st && st.triggersDropped > 0 ? ' nonzero' : '') }, st ? count(st.triggersDropped) : '–'));
  });
  return table(['Agent', 'Host', 'Version', 'SDK', 'Status', 'Last seen', { text: 'History', class: 'num' },
    { text: 'Buffer', class: 'num' }, { text: 'Rate-limited', class: 'num' }, { text: 'Counted', class: 'num' },
    { text: 'Dropped', class: 'num' }], rows, { class: 'grid agents', id: 'agents' });
}

/** One bar per bucket of the chosen series; each bar's tooltip says its bucket and value. */
function chart(activity, series) {
  const buckets = activity.buckets || [];
  const label = SERIES.find(s => s[0] === series)[3];
  const values = buckets.map(b => b[series] || 0);
  const max = Math.max(0, ...values);
  const widthMs = activity.bucket === 'day' ? 86_400_000 : 0;
  return bars(values, {
    barClass: `bar-${series}`,
    title: (i, value) => `${bucketLabel(buckets[i].startMs, widthMs)}: ${amount(value, series)}`,
    ariaLabel: `${label} per ${activity.bucket}, at most ${count(max)}`,
    label: `at most ${amount(max, series)} per ${activity.bucket}`,
    first: buckets.length ? bucketLabel(buckets[0].startMs, widthMs) : '',
    last: buckets.length ? bucketLabel(buckets[buckets.length - 1].startMs, widthMs) : '',
  });
}
