// One error group: its triage and its traces, newest first.
import { api } from './api.js';
import { h, link, replace, serviceChip, knowServices } from './dom.js';
import { relative, timestamp, count, minute, duration } from './format.js';
import { kindBadge, newBadge, occurrencesText, pager, tracesTable, triageBadges } from './widgets.js';
import { rememberedDashboard } from './dashboard.js';
import { bars, bucketLabel } from './charts.js';

const PAGE_SIZE = 50;
const HISTOGRAM_BUCKETS = 60;
const MARKS = [['none', 'None'], ['crash', 'Crash'], ['silenced', 'Silenced']];
const LEVELS = [['none', 'None'], ['ok', 'OK'], ['warn', 'Warn'], ['alert', 'Alert']];
// How long "Silence for" silences: value, button text, milliseconds (null: until unsilenced).
const SILENCES = [['1h', '1 h', 3_600_000], ['24h', '24 h', 86_400_000], ['7d', '7 d', 7 * 86_400_000],
  ['forever', 'until unsilenced', null]];

export async function renderGroup(ctx, fingerprint) {
  const page = Math.max(1, parseInt(ctx.query.get('page'), 10) || 1);
  const [group, traces, services, histogram] = await Promise.all([
    api.group(fingerprint),
    api.groupTraces(fingerprint, { page, pageSize: PAGE_SIZE }),
    api.services().catch(e => {
      if (e.name === 'Unauthorized') throw e;
      return { services: [] };
    }),
    api.histogram(fingerprint, { buckets: HISTOGRAM_BUCKETS }),
  ]);
  if (!ctx.current()) return;
  knowServices((services.services || []).map(s => s.name));
  ctx.title(group.name);

  const head = h('div', { class: 'group-head', id: 'group-head' });
  const showHead = g => replace(head,
    h('div', { class: 'crumbs' }, link('/' + rememberedDashboard(), { id: 'back-to-errors' }, '← Errors')),
    h('h1', { id: 'group-name' }, g.name, ' ', newBadge(g)),
    h('div', { class: 'meta' },
      serviceChip(g.service),
      h('span', { class: 'mono' }, g.endpoint || ''),
      kindBadge(g),
      figures(g),
      h('span', { title: timestamp(g.firstSeenAt) }, 'first seen ', relative(g.firstSeenAt)),
      h('span', { title: timestamp(g.lastSeenAt) }, 'last seen ', relative(g.lastSeenAt)),
      h('span', { class: 'triage-summary', id: 'triage-summary' }, triageBadges(g.triage))));
  showHead(group);

  const panel = triagePanel(group, updated => showHead(updated));
  const list = traces.traces || [];
  replace(ctx.main,
    head,
    panel,
    h('section', { class: 'panel', 'aria-label': 'Occurrences over time' },
      h('h2', null, 'Occurrences over time'),
      h('div', { class: 'chart-box', id: 'group-histogram' }, histogramChart(histogram))),
    h('h2', null, 'Traces ', h('span', { class: 'muted' }, `(${count(traces.total ?? list.length)})`)),
    list.length ? tracesTable(list, ctx.navigate, { id: 'group-traces' })
      : h('p', { class: 'empty', id: 'group-no-traces' }, group.traces === 0 && group.occurrences > 0
        ? 'No trace kept: the services counted these occurrences without collecting them (their trigger limits).'
        : 'No traces stored for this group.'),
    pager(traces.page || page, traces.pageSize || PAGE_SIZE, traces.total || 0,
      p => ctx.navigate(`/groups/${encodeURIComponent(fingerprint)}${p > 1 ? `?page=${p}` : ''}`)));
  ctx.rendered('group');
}

/** The group's occurrences per bucket, with its first and last occurrence marked. */
function histogramChart(hist) {
  const from = Date.parse(hist.from);
  const to = Date.parse(hist.to);
  const width = hist.bucketMs;
  const at = iso => (iso ? (Date.parse(iso) - from) / (to - from) : -1);
  const max = Math.max(0, ...hist.buckets);
  return bars(hist.buckets, {
    barClass: 'bar-errors',
    title: (i, value) => `${bucketLabel(from + i * width, width)}: ${count(value)} occurrence${value === 1 ? '' : 's'}`,
    ariaLabel: `occurrences per ${duration(width)}, at most ${count(max)}`,
    label: `at most ${count(max)} per ${duration(width)}`,
    first: bucketLabel(from, width),
    last: bucketLabel(to, width),
    marks: [
      { at: at(hist.firstSeenAt), text: 'first seen', class: 'first-seen' },
      { at: at(hist.lastSeenAt), text: 'last seen', class: 'last-seen' },
    ],
  });
}

/** "1,240 occurrences · 60 traces kept", each figure in bold. */
function figures(g) {
  const occurrences = g.occurrences ?? g.count;
  const kept = g.traces ?? g.count;
  return h('span', { id: 'group-figures', title: occurrencesText(g) },
    h('strong', { id: 'group-occurrences' }, count(occurrences)), occurrences === 1 ? ' occurrence' : ' occurrences',
    ' · ', h('strong', { id: 'group-count' }, count(kept)), kept === 1 ? ' trace kept' : ' traces kept');
}

/** Mark and level as toggle buttons (each saves at once), and a note saved with its button. */
function triagePanel(group, onUpdate) {
  let triage = { mark: 'none', level: 'none', note: null, ...(group.triage || {}) };
  const status = h('span', { class: 'save-status', id: 'triage-status', role: 'status' });
  const fp = group.fingerprint;

  const segmented = (field, options, label) => {
    const buttons = options.map(([value, text]) => h('button', {
      type: 'button', class: `seg seg-${field}-${value}`, dataset: { [field]: value }, 'aria-pressed': String(triage[field] === value),
    }, text));
    const refresh = () => buttons.forEach(b => b.setAttribute('aria-pressed', String(b.dataset[field] === triage[field])));
    buttons.forEach(b => b.addEventListener('click', () => save({ [field]: b.dataset[field] })));
    return [h('div', { class: 'segmented', role: 'group', 'aria-label': label, id: `triage-${field}` }, buttons), refresh];
  };
  const [marks, refreshMarks] = segmented('mark', MARKS, 'Mark');
  const [levels, refreshLevels] = segmented('level', LEVELS, 'Level');
  // A silence with a time limit: the group alerts and shows again once it is past (a regression).
  const silenceButtons = SILENCES.map(([value, text, ms]) => h('button', {
    type: 'button', class: `silence-${value}`, dataset: { silence: value },
    onclick: () => save({ mark: 'silenced', silencedUntil: ms == null ? null : new Date(Date.now() + ms).toISOString() }),
  }, text));
  const silenceState = h('span', { class: 'silenced-until', id: 'triage-silenced-until' });
  const refreshSilence = () => {
    const until = triage.mark === 'silenced' ? triage.silencedUntil : null;
    if (triage.mark !== 'silenced') silenceState.textContent = '';
    else if (!until) silenceState.textContent = 'silenced until unsilenced';
    else if (Date.parse(until) > Date.now()) silenceState.textContent = `silenced until ${minute(until)}`;
    else silenceState.textContent = `silence ended ${minute(until)}`;
    silenceState.title = until ? timestamp(until) : '';
  };
  const note = h('textarea', { id: 'triage-note', rows: 2, maxlength: 2000, placeholder: 'What is known about this error…' });
  note.value = triage.note || '';
  const saveNote = h('button', { type: 'button', id: 'triage-save-note' }, 'Save note');
  saveNote.addEventListener('click', () => save({ note: note.value }));

  async function save(change) {
    const before = triage;
    triage = { ...triage, ...change };
    refreshMarks();
    refreshLevels();
    refreshSilence();
    status.textContent = 'Saving…';
    status.className = 'save-status';
    try {
      const updated = await api.triage(fp, change);
      if (updated && updated.triage) {
        triage = { ...triage, ...updated.triage };
        onUpdate(updated);
      } else {
        onUpdate({ ...group, triage });
      }
      refreshMarks();
      refreshLevels();
      refreshSilence();
      status.textContent = 'Saved';
      status.className = 'save-status ok';
    } catch (e) {
      triage = before;
      refreshMarks();
      refreshLevels();
      refreshSilence();
      status.textContent = e.name === 'Unauthorized' ? 'Not signed in: reload to sign in.' : `Not saved: ${e.message}`;
      status.className = 'save-status failed';
    }
  }

  refreshSilence();
  return h('section', { class: 'triage-panel', id: 'triage', 'aria-label': 'Triage' },
    h('div', { class: 'triage-field' }, h('span', { class: 'field-label' }, 'Mark'), marks),
    h('div', { class: 'triage-field' }, h('span', { class: 'field-label' }, 'Silence for'),
      h('span', { class: 'silence-for', role: 'group', 'aria-label': 'Silence for', id: 'triage-silence' }, silenceButtons),
      silenceState),
    h('div', { class: 'triage-field' }, h('span', { class: 'field-label' }, 'Level'), levels),
    h('div', { class: 'triage-field grow' }, h('label', { class: 'field-label', for: 'triage-note' }, 'Note'), note, saveNote),
    status);
}
