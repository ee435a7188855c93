// The trace view: what went wrong, the waterfall of every span across services (with a marker per
// span event), the selected span's events, exchanges and logs, and every log line of the trace.
import { api } from './api.js';
import { h, link, replace, serviceChip, serviceSlot, knowServices, badge, table } from './dom.js';
import { duration, timestamp, clockUs, bytes, count } from './format.js';
import { statusBadge } from './widgets.js';
import { rememberedDashboard } from './dashboard.js';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const hiddenLevels = new Set(); // kept while the page lives, so the toggle survives moving between traces

export async function renderTrace(ctx, rawId) {
  const traceId = rawId.toLowerCase();
  const [trace, services] = await Promise.all([
    api.trace(traceId),
    api.services().catch(e => {
      if (e.name === 'Unauthorized') throw e;
      return { services: [] };
    }),
  ]);
  if (!ctx.current()) return;
  knowServices((services.services || []).map(s => s.name));
  ctx.title(trace.name || traceId);
  const view = new TraceView(ctx, trace);
  view.render();
  ctx.rendered('trace');
}

class TraceView {
  constructor(ctx, trace) {
    this.ctx = ctx;
    this.trace = trace;
    this.spans = trace.spans || [];
    this.messages = trace.messages || [];
    this.logs = trace.logs || [];
    this.buildTree();
    this.bounds();
    this.rows = new Map();
    this.selected = null;
  }

  // --- model -------------------------------------------------------------------------------

  buildTree() {
    const byId = new Map();
    for (const s of this.spans) if (!byId.has(s.spanId)) byId.set(s.spanId, { span: s, children: [], parent: null, depth: 0 });
    const roots = [];
    for (const node of byId.values()) {
      const parentId = node.span.parentSpanId;
      const parent = parentId && parentId !== node.span.spanId ? byId.get(parentId) : null;
      if (parent) {
        node.parent = parent;
        parent.children.push(node);
      } else {
        roots.push(node);
      }
    }
    const byStart = (a, b) => a.span.startUs - b.span.startUs;
    const ordered = [];
    const visited = new Set();
    const walk = (node, depth) => {
      if (visited.has(node)) return;
      visited.add(node);
      node.depth = depth;
      ordered.push(node);
      node.children.sort(byStart);
      for (const child of node.children) walk(child, depth + 1);
    };
    roots.sort(byStart);
    roots.forEach(r => walk(r, 0));
    // Spans caught in a parent cycle are unreachable from any root: show them at the top level.
    for (const node of byId.values()) {
      if (!visited.has(node)) {
        if (node.parent) node.parent.children = node.parent.children.filter(c => c !== node);
        node.parent = null;
        roots.push(node);
        walk(node, 0);
      }
    }
    this.roots = roots;
    this.nodes = byId;
    this.ordered = ordered;
  }

  bounds() {
    let start = Infinity;
    let end = -Infinity;
    for (const s of this.spans) {
      start = Math.min(start, s.startUs);
      end = Math.max(end, s.endUs ?? s.startUs);
      for (const e of spanEvents(s)) {
        start = Math.min(start, e.timeUs);
        end = Math.max(end, e.timeUs);
      }
    }
    for (const m of this.messages) {
      if (m.startUs == null) continue;
      start = Math.min(start, m.startUs);
      end = Math.max(end, m.startUs + (m.durationUs || 0));
    }
    for (const l of this.logs) {
      start = Math.min(start, l.timeUs);
      end = Math.max(end, l.timeUs);
    }
    if (!Number.isFinite(start)) {
      start = 0;
      end = 1;
    }
    this.t0 = start;
    this.tEnd = Math.max(end, start + 1);
    this.total = this.tEnd - this.t0;
  }

  offset(us) {
    return `+${duration((us - this.t0) / 1000)}`;
  }

  /**
   * The error to show first: where the problem started. In the origin service of the trigger, a
   * real exception (with a stack) on a failed span, deepest in the tree, then an ERROR log's
   * error; elsewhere, the same in that order, nearest the origin; then a failed span's HTTP
   * status alone. A caller that turned its callee's failure into an exception of its own (an MVC
   * exception handler) does not hide the callee's.
   */
  primaryError() {
    const origin = this.trace.triggerService;
    const depth = s => (this.nodes.get(s.spanId) || { depth: 0 }).depth;
    const failed = this.spans.filter(s => s.status === 'failed' && s.error && (s.error.type || s.error.message));
    const byOrigin = (a, b) => (b.service === origin) - (a.service === origin) || depth(b) - depth(a) || a.startUs - b.startUs;
    const fromSpan = s => ({ ...s.error, service: s.service, spanId: s.spanId, where: `span ${s.name}` });
    const fromLog = log => ({
      type: log.error ? log.error.type : null,
      message: log.error ? log.error.message : log.message,
      stack: log.error ? log.error.stack : null,
      logMessage: log.message,
      service: log.service,
      spanId: log.spanId,
      where: `ERROR log of ${log.logger || 'a logger'}`,
    });
    const thrown = failed.filter(s => s.error.stack).sort(byOrigin);
    const errorLogs = this.logs.filter(l => l.level === 'ERROR');
    const thrownAtOrigin = thrown.find(s => s.service === origin);
    if (thrownAtOrigin) return fromSpan(thrownAtOrigin);
    const loggedAtOrigin = errorLogs.find(l => l.error && l.service === origin);
    if (loggedAtOrigin) return fromLog(loggedAtOrigin);
    if (thrown.length) return fromSpan(thrown[0]);
    const log = errorLogs.find(l => l.error) || errorLogs.find(l => l.service === origin) || errorLogs[0];
    if (log) return fromLog(log);
    if (failed.length) return fromSpan(failed.sort(byOrigin)[0]);
    return null;
  }

  // --- rendering ---------------------------------------------------------------------------

  render() {
    const error = this.primaryError();
    this.errorSpanId = error && error.spanId;
    const requested = this.ctx.query.get('span');
    const initial = (requested && this.nodes.get(requested))
      || (error && error.spanId && this.nodes.get(error.spanId))
      || this.ordered[0] || null;

    this.details = h('section', { class: 'panel span-details', id: 'span-details', 'aria-live': 'polite' });
    replace(this.ctx.main,
      this.header(),
      error ? this.errorPanel(error) : null,
      this.waterfall(),
      this.details,
      this.logsSection());
    if (initial) this.select(initial, { focus: false, updateUrl: false });
    else replace(this.details, h('p', { class: 'muted' }, 'No spans in this trace.'));
  }

  header() {
    const t = this.trace;
    const triggers = t.triggers || [];
    return h('div', { class: 'trace-head', id: 'trace-head' },
      h('div', { class: 'crumbs' }, link('/' + rememberedDashboard(), { id: 'back-to-errors' }, '← Errors')),
      h('div', { class: 'title-line' },
        h('h1', { id: 'trace-name' }, t.name || '(no root span)'),
        statusBadge(t.status),
        t.complete === false ? badge('collecting…', 'muted', { title: 'The collector is still asking agents for their records' }) : null,
        t.complete !== false && (t.unanswered || []).length
          ? badge('incomplete', 'slow', {
            id: 'trace-unanswered',
            title: 'No answer from ' + t.unanswered.map(u => (u.service || 'an unknown service') + ' (agent ' + u.agentId + ')').join(', ')
              + ': the process restarted or went away before it was asked, so its part of the story is missing',
          })
          : null),
      h('div', { class: 'meta' },
        h('span', { class: 'chips', id: 'trace-services' }, (t.services || []).map(s => serviceChip(s))),
        h('span', null, h('span', { class: 'field-label' }, 'Duration '), h('strong', { id: 'trace-duration' }, duration(t.durationMs))),
        h('span', { title: t.startedAt || '' }, h('span', { class: 'field-label' }, 'Started '), timestamp(t.startedAt)),
        h('span', { class: 'mono small', id: 'trace-id' }, t.traceId)),
      this.tagsLine(),
      h('div', { class: 'trigger', id: 'trace-trigger' },
        h('span', { class: 'field-label' }, 'Trigger '),
        t.triggerKind ? badge(t.triggerKind, t.triggerKind === 'error' ? 'error' : t.triggerKind === 'slow' ? 'slow' : 'muted') : null,
        ' ', h('span', { class: 'reason' }, t.triggerReason || '–'),
        t.triggerService ? [' in ', serviceChip(t.triggerService)] : null,
        triggers.length > 1 ? h('span', { class: 'muted' }, ` · ${triggers.length - 1} more trigger${triggers.length > 2 ? 's' : ''}`) : null,
        h('span', { class: 'muted counts' },
          ` · ${count(this.spans.length)} spans · ${count(this.messages.length)} exchanges · ${count(this.logs.length)} log lines`)));
  }

  /** The trace's tags, each a search for the error groups with it (decision 38). */
  tagsLine() {
    const tags = this.trace.tags || [];
    if (!tags.length) return null;
    return h('div', { class: 'meta tags', id: 'trace-tags' },
      h('span', { class: 'field-label' }, 'Tags '),
      h('span', { class: 'chips' }, tags.map(t => {
        const word = `${t.key}:${t.value}`;
        return /\s/.test(word) ? h('span', { class: 'tag mono small' }, word)
          : link('/?q=' + encodeURIComponent(word), { class: 'tag mono small', title: 'Error groups with this tag' }, word);
      })));
  }

  errorPanel(error) {
    const node = error.spanId ? this.nodes.get(error.spanId) : null;
    return h('section', { class: 'panel error-panel', id: 'trace-error', 'aria-label': 'Error' },
      h('div', { class: 'error-title' },
        h('span', { class: 'error-type', id: 'error-type' }, error.type || 'Error'),
        error.message ? [h('span', { class: 'error-sep' }, ': '), h('span', { class: 'error-message', id: 'error-message' }, error.message)] : null),
      h('div', { class: 'error-where' },
        'in ', serviceChip(error.service), ' · ', error.where,
        error.logMessage ? [' · ', h('q', { class: 'mono' }, error.logMessage)] : null,
        node ? [' · ', h('button', { type: 'button', class: 'link', onclick: () => this.select(node, { focus: true }) }, 'show span')] : null),
      error.stack ? h('pre', { class: 'stack', id: 'error-stack' }, error.stack) : null);
  }

  waterfall() {
    const ticks = [0, 0.25, 0.5, 0.75, 1].map(f => {
      const tick = h('span', { class: 'tick' }, f === 0 ? '0' : duration(this.total * f / 1000));
      tick.style.left = `${f * 100}%`;
      if (f === 1) tick.classList.add('last');
      return tick;
    });
    const tree = h('div', { class: 'waterfall', id: 'waterfall', role: 'tree', 'aria-label': 'Spans' });
    for (const node of this.ordered) tree.append(this.spanRow(node));
    tree.addEventListener('keydown', e => this.onKey(e));
    tree.addEventListener('click', e => {
      const row = e.target.closest('.span-row');
      if (row) this.select(this.nodes.get(row.dataset.spanId), { focus: true });
    });
    return h('section', { class: 'panel waterfall-panel', 'aria-label': 'Timeline' },
      h('div', { class: 'wf-head' },
        h('div', { class: 'wf-label' }, 'Span'),
        h('div', { class: 'wf-track wf-ticks' }, ticks),
        h('div', { class: 'wf-dur' }, 'Duration')),
      tree,
      h('p', { class: 'hint muted' }, 'Click a span, or use ↑ ↓ for siblings, ← for the parent, → for the first child.'));
  }

  spanRow(node) {
    const s = node.span;
    const slot = serviceSlot(s.service);
    const running = s.status === 'started' || s.endUs == null;
    const failed = s.status === 'failed';
    const end = running ? this.tEnd : s.endUs;
    const left = ((s.startUs - this.t0) / this.total) * 100;
    const width = Math.max(((end - s.startUs) / this.total) * 100, 0);
    const bar = h('div', { class: `span-bar svc-bg-${slot}` + (failed ? ' failed' : '') + (running ? ' running' : '')
      + (s.spanId === this.errorSpanId ? ' origin' : '') });
    bar.style.left = `${Math.min(left, 100)}%`;
    bar.style.width = `${Math.min(width, 100 - Math.min(left, 100))}%`;
    const label = h('div', { class: 'span-label' },
      h('span', { class: `svc-dot svc-bg-${slot}`, 'aria-hidden': 'true' }),
      h('span', { class: 'span-name' }, s.name),
      h('span', { class: 'span-service' }, s.service),
      failed ? h('span', { class: 'span-flag failed', title: 'failed' }, '✕ failed') : null,
      s.spanId === this.errorSpanId ? h('span', { class: 'span-flag origin', title: 'the error shown above happened here' }, 'error') : null,
      running ? h('span', { class: 'span-flag running', title: 'no end recorded: still running, or never finished' }, 'running') : null);
    label.style.paddingLeft = `${8 + node.depth * 18}px`;
    const markers = spanEvents(s).map(e => {
      const tip = eventTip(e, this.offset(e.timeUs));
      const marker = h('span', { class: 'event-marker', title: tip, 'aria-label': tip, role: 'img',
        dataset: { eventName: e.name } });
      marker.style.left = `${Math.min(Math.max(((e.timeUs - this.t0) / this.total) * 100, 0), 100)}%`;
      return marker;
    });
    const row = h('div', {
      class: 'span-row' + (failed ? ' failed' : '') + (running ? ' running' : '') + (s.spanId === this.errorSpanId ? ' origin' : ''),
      role: 'treeitem',
      tabindex: '-1',
      'aria-level': node.depth + 1,
      'aria-selected': 'false',
      'aria-expanded': node.children.length ? 'true' : null,
      dataset: { spanId: s.spanId, service: s.service, kind: s.kind || '', depth: String(node.depth) },
    },
    label,
    h('div', { class: 'wf-track' }, bar, markers),
    h('div', { class: 'wf-dur' }, running ? 'running…' : duration((s.endUs - s.startUs) / 1000)));
    this.rows.set(s.spanId, row);
    return row;
  }

  onKey(e) {
    const node = this.selected;
    if (!node) return;
    const siblings = node.parent ? node.parent.children : this.roots;
    const i = siblings.indexOf(node);
    let target = null;
    switch (e.key) {
      case 'ArrowUp': target = i > 0 ? siblings[i - 1] : null; break;
      case 'ArrowDown': target = i >= 0 && i < siblings.length - 1 ? siblings[i + 1] : null; break;
      case 'ArrowLeft': target = node.parent; break;
      case 'ArrowRight': target = node.children[0] || null; break;
      case 'Home': target = this.ordered[0]; break;
      case 'End': target = this.ordered[this.ordered.length - 1]; break;
      default: return;
    }
    e.preventDefault();
    if (target) this.select(target, { focus: true });
  }

  select(node, { focus = true, updateUrl = true } = {}) {
    if (!node) return;
    if (this.selected) {
      const old = this.rows.get(this.selected.span.spanId);
      old.classList.remove('selected');
      old.setAttribute('aria-selected', 'false');
      old.tabIndex = -1;
    }
    this.selected = node;
    const row = this.rows.get(node.span.spanId);
    row.classList.add('selected');
    row.setAttribute('aria-selected', 'true');
    row.tabIndex = 0;
    if (focus) row.focus();
    if (updateUrl && this.ctx.current()) {
      const q = new URLSearchParams(location.search);
      q.set('span', node.span.spanId);
      this.ctx.updateUrl(`${location.pathname}?${q}`);
    }
    this.renderDetails(node);
  }

  // --- the selected span ---------------------------------------------------------------------

  renderDetails(node) {
    const s = node.span;
    const running = s.status === 'started' || s.endUs == null;
    const exchanges = this.messages.filter(m => m.spanId === s.spanId);
    const logs = this.logs.filter(l => l.spanId === s.spanId);
    const attributes = Object.entries(s.attributes || {});
    const handled = s.handledErrors || [];
    const events = spanEvents(s);
    replace(this.details,
      h('div', { class: 'details-head' },
        h('h2', { id: 'span-title' }, s.name),
        badge(s.status, s.status === 'failed' ? 'error' : s.status === 'started' ? 'slow' : 'ok'),
        serviceChip(s.service),
        h('span', { class: 'muted' }, s.kind || '')),
      h('dl', { class: 'facts' },
        fact('Duration', running ? 'still running (no end recorded)' : duration((s.endUs - s.startUs) / 1000)),
        fact('Starts at', `${this.offset(s.startUs)} (${clockUs(s.startUs)})`),
        fact('Span id', s.spanId, 'mono'),
        fact('Parent', s.parentSpanId || '–', 'mono'),
        fact('Agent', s.agentId || '–', 'mono')),
      s.error ? errorBlock('Error', s.error, 'span-error') : null,
      handled.length ? h('div', { class: 'handled' }, h('h3', null, `Handled errors (${handled.length})`),
        handled.map(err => errorBlock(null, err, 'handled-error'))) : null,
      attributes.length ? [h('h3', null, 'Attributes'),
        table(['Name', 'Value'], attributes.map(([k, v]) => h('tr', null, h('td', { class: 'mono' }, k),
          h('td', { class: 'mono' }, typeof v === 'string' ? v : JSON.stringify(v)))), { class: 'kv', id: 'span-attributes' })] : null,
      events.length ? [h('h3', null, `Events (${events.length})`),
        table(['At', 'Event', 'Attributes'], events.map(e => h('tr', { class: 'span-event', dataset: { eventName: e.name } },
          h('td', { class: 'event-time nowrap', title: `${this.offset(e.timeUs)} in the trace · ${clockUs(e.timeUs)}` },
            sinceStart(e.timeUs - s.startUs)),
          h('td', { class: 'event-name mono' }, e.name),
          h('td', { class: 'event-attributes' }, Object.entries(e.attributes || {}).map(([k, v], i) =>
            [i ? ' ' : null, h('span', { class: 'event-attribute mono' }, h('span', { class: 'event-key' }, k), '=', attributeText(v))])))),
        { class: 'kv span-events', id: 'span-events' })] : null,
      h('h3', null, `HTTP exchanges (${exchanges.length})`),
      exchanges.length ? exchanges.map(m => this.exchange(m)) : h('p', { class: 'muted' }, 'No HTTP exchange recorded in this span.'),
      h('h3', null, `Logs of this span (${logs.length})`),
      logs.length ? h('div', { class: 'log-lines span-logs', id: 'span-logs' }, logs.map(l => this.logLine(l, false)))
        : h('p', { class: 'muted' }, 'No log lines in this span.'));
  }

  exchange(m) {
    const status = m.status || 0;
    const statusClass = status === 0 ? 'error' : status >= 500 ? 'error' : status >= 400 ? 'slow' : 'ok';
    return h('div', { class: 'exchange', dataset: { seq: String(m.seq), direction: m.direction } },
      h('div', { class: 'exchange-head' },
        badge(m.direction === 'inbound' ? '⇣ inbound' : '⇡ outbound', 'muted'),
        h('span', { class: 'method' }, m.method),
        h('span', { class: 'url mono' }, m.url),
        badge(status === 0 ? 'no response' : String(status), statusClass, { class: 'http-status' }),
        h('span', { class: 'muted' }, duration((m.durationUs || 0) / 1000)),
        serviceChip(m.service)),
      m.error ? h('p', { class: 'exchange-error' }, m.error) : null,
      h('div', { class: 'exchange-parts' },
        h('div', { class: 'exchange-part request' }, h('h4', null, 'Request'),
          bodyBlock(m.requestBody, m.requestBodyEncoding, m.requestBodySize, m.requestBodyTruncated, m.requestHeaders),
          headersTable(m.requestHeaders)),
        h('div', { class: 'exchange-part response' }, h('h4', null, 'Response'),
          status === 0 && !m.responseHeaders?.length ? h('p', { class: 'muted' }, 'No response arrived.') : [
            bodyBlock(m.responseBody, m.responseBodyEncoding, m.responseBodySize, m.responseBodyTruncated, m.responseHeaders),
            headersTable(m.responseHeaders)])));
  }

  // --- logs ----------------------------------------------------------------------------------

  logLine(l, withSpan) {
    const node = l.spanId ? this.nodes.get(l.spanId) : null;
    return h('div', { class: `log-line lvl-${l.level}`, dataset: { level: l.level, service: l.service || '' } },
      h('span', { class: 'log-time', title: `${clockUs(l.timeUs)} · ${l.thread || ''}` }, this.offset(l.timeUs)),
      h('span', { class: `lvl lvl-badge-${l.level}` }, l.level),
      serviceChip(l.service),
      h('span', { class: 'log-msg' }, l.message ?? ''),
      h('span', { class: 'log-logger' }, l.logger || ''),
      withSpan && node ? h('button', {
        type: 'button', class: 'link log-span', title: `Select span ${node.span.name}`,
        onclick: () => this.select(node, { focus: true }),
      }, node.span.name) : null,
      l.error ? h('details', { class: 'log-error' },
        h('summary', null, `${l.error.type || 'error'}${l.error.message ? ': ' + l.error.message : ''}`),
        l.error.stack ? h('pre', { class: 'stack' }, l.error.stack) : null) : null);
  }

  logsSection() {
    const counts = Object.fromEntries(LEVELS.map(level => [level, 0]));
    for (const l of this.logs) counts[l.level] = (counts[l.level] || 0) + 1;
    const lines = h('div', { class: 'log-lines all-logs', id: 'logs' }, this.logs.map(l => this.logLine(l, true)));
    const apply = () => LEVELS.forEach(level => lines.classList.toggle(`hide-${level}`, hiddenLevels.has(level)));
    apply();
    const toggles = h('div', { class: 'level-toggles', role: 'group', 'aria-label': 'Levels shown' },
      LEVELS.map(level => {
        const box = h('input', { type: 'checkbox', id: `level-${level}`, checked: !hiddenLevels.has(level), dataset: { level } });
        box.addEventListener('change', () => {
          if (box.checked) hiddenLevels.delete(level);
          else hiddenLevels.add(level);
          apply();
        });
        return h('label', { class: `level-toggle lvl-toggle-${level}`, for: `level-${level}` }, box,
          h('span', null, level), h('span', { class: 'muted' }, ` ${counts[level]}`));
      }));
    return h('section', { class: 'panel logs-panel', 'aria-label': 'Logs' },
      h('div', { class: 'section-head' }, h('h2', null, 'Logs ', h('span', { class: 'muted' }, `(${count(this.logs.length)}, all services)`)), toggles),
      this.logs.length ? lines : h('p', { class: 'muted' }, 'No log lines in this trace.'));
  }
}

/** The span's events in time order (spans stored before events existed have none). */
function spanEvents(span) {
  const events = Array.isArray(span.events) ? span.events.filter(e => e && typeof e.timeUs === 'number') : [];
  return events.sort((a, b) => a.timeUs - b.timeUs);
}

/** A time relative to the span's start; an event may precede it (clocks of threads differ). */
function sinceStart(us) {
  return us < 0 ? `−${duration(-us / 1000)}` : `+${duration(us / 1000)}`;
}

function attributeText(v) {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A marker's tooltip: name and time, then one attribute per line. */
function eventTip(e, offset) {
  return [`${e.name} · ${offset}`, ...Object.entries(e.attributes || {}).map(([k, v]) => `${k}=${attributeText(v)}`)].join('\n');
}

function fact(name, value, cls) {
  return h('div', { class: 'fact' }, h('dt', null, name), h('dd', { class: cls }, value));
}

function errorBlock(title, error, cls) {
  return h('div', { class: `error-block ${cls}` },
    title ? h('h3', null, title) : null,
    h('div', { class: 'error-title small' },
      h('span', { class: 'error-type' }, error.type || 'Error'),
      error.message ? [': ', h('span', { class: 'error-message' }, error.message)] : null),
    error.stack ? h('pre', { class: 'stack' }, error.stack) : null);
}

function headersTable(headers) {
  if (!headers || !headers.length) return h('p', { class: 'muted small' }, 'No headers recorded.');
  return h('details', { class: 'headers', open: headers.length <= 6 },
    h('summary', null, `Headers (${headers.length})`),
    table(['Name', 'Value'], headers.map(([name, value]) =>
      h('tr', null, h('td', { class: 'mono hname' }, name), h('td', { class: 'mono' }, value))), { class: 'kv headers-table' }));
}

function headerValue(headers, name) {
  const found = (headers || []).find(([n]) => n.toLowerCase() === name);
  return found ? found[1] : '';
}

function bodyBlock(body, encoding, size, truncated, headers) {
  const notes = [];
  if (size != null && size > 0) notes.push(bytes(size));
  if (encoding === 'base64') notes.push('binary, shown as Base64');
  if (truncated) notes.push(`truncated: only the first part was kept`);
  if (body == null || body === '') {
    return h('div', { class: 'body-block' }, h('div', { class: 'body-notes muted small' },
      size ? `Body of ${bytes(size)} not kept.` : 'No body.'));
  }
  let text = body;
  let json = false;
  if (encoding !== 'base64') {
    const type = headerValue(headers, 'content-type').toLowerCase();
    const trimmed = body.trimStart();
    if (type.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        text = JSON.stringify(JSON.parse(body), null, 2);
        json = true;
      } catch (e) {
        text = body;
      }
    }
  }
  return h('div', { class: 'body-block' },
    h('div', { class: 'body-notes muted small' }, [json ? 'JSON' : encoding === 'base64' ? 'Base64' : 'text', ...notes].join(' · ')),
    h('pre', { class: 'body' + (encoding === 'base64' ? ' base64' : '') + (truncated ? ' truncated' : '') }, text));
}
