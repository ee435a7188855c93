// Small pieces shared by the views.
import { h, link, table, serviceChip, badge } from './dom.js';
import { relative, timestamp, duration, count } from './format.js';

export function statusBadge(status) {
  return badge(status || 'unknown', status === 'error' ? 'error' : status === 'slow' ? 'slow' : status === 'ok' ? 'ok' : 'muted',
    { class: 'status' });
}

/** A group's kind, and its triage mark when that changes how it is treated. */
export function kindBadge(group) {
  const mark = group.triage && group.triage.mark;
  return h('span', { class: 'badges' },
    statusBadge(group.kind),
    mark === 'crash' ? badge('crash', 'crash', { class: 'mark' }) : null,
    mark === 'silenced' ? badge('silenced', 'muted', { class: 'mark' }) : null);
}

/** "N new" since the last triage change, unless the group is silenced. */
export function newBadge(group) {
  const mark = group.triage && group.triage.mark;
  if (!group.newSinceTriage || mark === 'silenced') return null;
  return badge(`${count(group.newSinceTriage)} new`, 'new', { class: 'new', title: 'Traces seen since the last triage change' });
}

/**
 * "1,240 occurrences · 60 traces kept": every time the group's problem happened (collected or only
 * counted by the services), and the traces stored of it.
 */
export function occurrencesText(group) {
  const occurrences = group.occurrences ?? group.count;
  const kept = group.traces ?? group.count;
  return `${count(occurrences)} ${occurrences === 1 ? 'occurrence' : 'occurrences'} · `
    + `${count(kept)} ${kept === 1 ? 'trace' : 'traces'} kept`;
}

/** Level and note of a triage (the mark shows beside the status, see kindBadge). */
export function triageBadges(triage) {
  if (!triage) return null;
  const parts = [];
  if (triage.level && triage.level !== 'none') parts.push(badge(triage.level, `level-${triage.level}`, { class: 'level' }));
  if (triage.note) parts.push(h('span', { class: 'note-snippet', title: triage.note }, triage.note.length > 60 ? triage.note.slice(0, 57) + '…' : triage.note));
  if (!parts.length) return triage.mark && triage.mark !== 'none' ? null : h('span', { class: 'muted' }, 'untriaged');
  return h('span', { class: 'badges' }, parts);
}

/** Previous / next controls for a server-side paginated list. */
export function pager(page, pageSize, total, go) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (total <= pageSize && page <= 1) return null;
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', class: 'pager-prev', disabled: page <= 1, onclick: () => go(page - 1) }, '← Newer'),
    h('span', { class: 'pager-info' }, `${count(first)}–${count(last)} of ${count(total)} · page ${page} of ${pages}`),
    h('button', { type: 'button', class: 'pager-next', disabled: page >= pages, onclick: () => go(page + 1) }, 'Older →'));
}

/** A table of trace summaries; each row opens the trace view. */
export function tracesTable(traces, navigate, props) {
  const rows = traces.map(t => {
    const href = `/traces/${encodeURIComponent(t.traceId)}`;
    const row = h('tr', { class: 'clickable trace-row', dataset: { traceId: t.traceId } },
      h('td', { class: 'nowrap', title: timestamp(t.startedAt) }, relative(t.startedAt)),
      h('td', { class: 'name' }, link(href, { class: 'trace-link' }, t.name || '(no root span)'),
        t.complete === false ? h('span', { class: 'muted small' }, ' collecting…') : null),
      h('td', null, statusBadge(t.status)),
      h('td', null, h('span', { class: 'chips' }, (t.services || []).map(s => serviceChip(s)))),
      h('td', { class: 'num nowrap' }, duration(t.durationMs)),
      h('td', { class: 'reason' }, t.triggerReason || ''),
      h('td', { class: 'mono small muted' }, t.traceId.slice(0, 12) + '…'));
    row.addEventListener('click', event => {
      if (event.target.closest('a, button')) return;
      navigate(href);
    });
    return row;
  });
  return table(['Started', 'Name', 'Status', 'Services', { text: 'Duration', class: 'num' }, 'Trigger', 'Trace'], rows,
    { class: 'grid traces', ...props });
}
