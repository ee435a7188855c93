// The status view: the services whose agents report to this collector, and the state of each
// exporter (GET /api/health), refreshed every few seconds while the view is shown.
import { api } from './api.js';
import { h, replace, table, serviceChip, knowServices } from './dom.js';
import { relative, timestamp, duration, count } from './format.js';

const REFRESH_MS = 3000;

export async function renderStatus(ctx) {
  ctx.title('Status');
  const [health, services] = await Promise.all([api.health(), api.services()]);
  if (!ctx.current()) return;
  const list = services.services || [];
  knowServices(list.map(s => s.name));

  const exportPanel = h('section', { class: 'panel', id: 'export-panel', 'aria-label': 'Export' });
  showExport(exportPanel, health.export);
  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', null, 'Status'),
      h('span', { class: 'muted' }, 'the agents and exporters of this collector')),
    servicesPanel(list),
    exportPanel);
  ctx.rendered('status');

  // Export figures move on their own (retries, lag): keep them fresh while the view is shown.
  const refresh = async () => {
    if (!ctx.current()) return;
    try {
      const next = await api.health();
      if (!ctx.current()) return;
      showExport(exportPanel, next.export);
    } catch (e) {
      // the collector is away for a moment: the last figures stay
    }
    setTimeout(refresh, REFRESH_MS);
  };
  setTimeout(refresh, REFRESH_MS);
}

function servicesPanel(services) {
  const rows = services.map(s => h('tr', { class: 'service-row', dataset: { service: s.name } },
    h('td', null, serviceChip(s.name)),
    h('td', { class: 'num agents' }, count(s.agents)),
    h('td', { class: 'nowrap', title: timestamp(s.lastSeenAt) }, relative(s.lastSeenAt))));
  return h('section', { class: 'panel', 'aria-label': 'Services' },
    h('h2', null, 'Services'),
    services.length
      ? table(['Service', { text: 'Agents connected', class: 'num' }, 'Last seen'], rows, { class: 'grid services', id: 'services' })
      : h('p', { class: 'muted', id: 'services-empty' }, 'No agent has registered yet.'));
}

/** Fills the export panel from health's {@code export} object (absent when nothing is configured). */
function showExport(panel, exporters) {
  const names = Object.keys(exporters || {});
  if (!names.length) {
    replace(panel, h('h2', null, 'Export'),
      h('p', { class: 'muted', id: 'export-none' }, 'No exporter is configured (MINTARO_EXPORT_ZIPKIN, MINTARO_EXPORT_OTLP, '
        + 'MINTARO_EXPORT_STATSD: see the collector README).'));
    return;
  }
  const rows = names.map(name => exporterRow(name, exporters[name] || {}));
  replace(panel, h('h2', null, 'Export'),
    table(['Exporter', 'Filter', { text: 'Exported', class: 'num' }, { text: 'Pending', class: 'num' },
      { text: 'Lag', class: 'num' }, { text: 'Dead letters', class: 'num' }, { text: 'Failed attempts', class: 'num' },
      'Last success', 'Last error'], rows, { class: 'grid exporters', id: 'exporters' }),
    h('p', { class: 'muted panel-note' }, 'Exported and failed attempts count since the collector started; pending, lag '
      + '(age of the oldest waiting trace) and dead letters are the queue as it is now.'));
}

function exporterRow(name, e) {
  const failing = (e.deadLetters || 0) > 0 || (e.lastErrorAtMs != null && (e.lastSuccessAtMs == null || e.lastErrorAtMs > e.lastSuccessAtMs));
  return h('tr', { class: 'exporter-row' + (failing ? ' failing' : ''), dataset: { exporter: name } },
    h('td', { class: 'exporter-name strong' }, name),
    h('td', { class: 'export-filter mono small' }, e.filter || 'all'),
    h('td', { class: 'num exported' }, count(e.exported)),
    h('td', { class: 'num pending' }, count(e.pending),
      e.skippedQueueFull ? h('div', { class: 'muted small skipped', title: 'Traces not queued because the queue was full' },
        `${count(e.skippedQueueFull)} skipped`) : null),
    h('td', { class: 'num lag' }, e.lagMs ? duration(e.lagMs) : '–'),
    h('td', { class: 'num dead' + ((e.deadLetters || 0) > 0 ? ' nonzero' : '') }, count(e.deadLetters)),
    h('td', { class: 'num failed' }, count(e.failedAttempts)),
    h('td', { class: 'nowrap last-success', title: e.lastSuccessAtMs ? timestamp(e.lastSuccessAtMs) : '' },
      e.lastSuccessAtMs ? relative(e.lastSuccessAtMs) : 'never'),
    h('td', { class: 'last-error' }, e.lastError
      ? [h('span', { class: 'error-text' }, e.lastError), ' ',
        h('span', { class: 'muted small nowrap error-time', title: timestamp(e.lastErrorAtMs) }, relative(e.lastErrorAtMs))]
      : h('span', { class: 'muted' }, '–')));
}
