// The alerts view: the namespace's alert rules (GET /api/alerts/rules), a form to add one, a test
// delivery per rule, and the newest deliveries with how their last attempt went
// (GET /api/alerts/deliveries), refreshed every few seconds while the view is shown.
import { api, currentAdminKey, currentNamespace, useAdminKey } from './api.js';
import { h, link, replace, table, badge } from './dom.js';
import { relative, timestamp, count, duration } from './format.js';

const REFRESH_MS = 3000;
const DELIVERIES = 100;
// Wire name, and what the form and the table call it.
const KINDS = [['new_group', 'New group'], ['regression', 'Regression'], ['rate', 'Rate'],
  ['alert_level', 'Alert level'], ['digest', 'Digest']];
const KIND_HELP = {
  new_group: 'An error group seen for the first time.',
  regression: 'A group triaged OK, or silenced until a time now past, that occurs again.',
  rate: 'More traces of one group within the window than the threshold.',
  alert_level: 'Every new trace of a group triaged Alert.',
  digest: 'A summary, once a period, of the groups triaged Warn that occurred.',
};
const STATES = { delivered: 'ok', pending: 'slow', failed: 'error', suppressed: 'muted' };

export async function renderAlerts(ctx) {
  ctx.title('Alerts');
  const [rules, deliveries, namespaces] = await Promise.all([
    api.alertRules(), api.alertDeliveries({ limit: DELIVERIES }), api.namespaces()]);
  if (!ctx.current()) return;
  // Rule changes go with the admin key, to the namespace this page shows.
  const ns = currentNamespace() || namespaces.current;

  const rulesBox = h('div', { id: 'alert-rules-box' });
  const deliveriesBox = h('div', { id: 'alert-deliveries-box' });
  const showRules = list => replace(rulesBox, rulesTable(list, ns, reloadRules));
  let shownDeliveries = null;
  const showDeliveries = list => {
    // Unchanged deliveries are left as they are (no flicker, a link under the pointer stays).
    const text = JSON.stringify(list);
    if (text === shownDeliveries) return;
    shownDeliveries = text;
    replace(deliveriesBox, deliveriesTable(list));
  };
  async function reloadRules() {
    const next = await api.alertRules();
    if (ctx.current()) showRules(next.rules || []);
  }
  showRules(rules.rules || []);
  showDeliveries(deliveries.deliveries || []);

  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', null, 'Alerts'),
      h('span', { class: 'muted' }, `webhooks that tell you when an error group of ${ns} needs you`)),
    h('section', { class: 'panel', 'aria-label': 'Rules' },
      h('h2', null, 'Rules'),
      adminKeyField(),
      rulesBox),
    h('section', { class: 'panel', 'aria-label': 'Add a rule' },
      h('h2', null, 'Add a rule'),
      ruleForm(ns, reloadRules)),
    h('section', { class: 'panel', 'aria-label': 'Deliveries' },
      h('h2', null, 'Deliveries'),
      deliveriesBox,
      h('p', { class: 'muted panel-note' }, `The newest ${DELIVERIES} alerts of the rules, as queued for delivery; `
        + 'a failed delivery is retried with backoff before it counts as failed. Test deliveries are not queued: '
        + 'their result shows next to their rule.')));
  ctx.rendered('alerts');

  // Deliveries move on their own (retries, new alerts): keep them fresh while the view is shown.
  const refresh = async () => {
    if (!ctx.current()) return;
    try {
      const next = await api.alertDeliveries({ limit: DELIVERIES });
      if (!ctx.current()) return;
      showDeliveries(next.deliveries || []);
    } catch (e) {
      // the collector is away for a moment: the last list stays
    }
    setTimeout(refresh, REFRESH_MS);
  };
  setTimeout(refresh, REFRESH_MS);
}

/** Sessions may only read rules (as for keys): changes take an admin key, kept in this page's memory. */
function adminKeyField() {
  const input = h('input', {
    type: 'password', id: 'admin-key', autocomplete: 'off', spellcheck: 'false', placeholder: 'admin key',
    'aria-describedby': 'admin-key-note',
  });
  input.value = currentAdminKey() || '';
  input.addEventListener('input', () => useAdminKey(input.value));
  return h('div', { class: 'form-row admin-key' },
    h('label', { class: 'field-label', for: 'admin-key' }, 'Admin key'), input,
    h('span', { class: 'muted small', id: 'admin-key-note' }, 'Adding, testing and deleting rules takes an admin key '
      + 'of this namespace; it stays in this page only (not stored, gone on reload).'));
}

function kindText(rule) {
  const name = (KINDS.find(k => k[0] === rule.kind) || [rule.kind, rule.kind])[1];
  if (rule.kind === 'rate') return `${name}: over ${count(rule.threshold)} in ${duration(rule.windowMs)}`;
  if (rule.kind === 'digest') return `${name}: every ${duration(rule.windowMs)}`;
  return name;
}

/** The webhook's host only: the rest of a webhook URL is often its secret (Slack's are). */
function host(url) {
  try {
    return new URL(url).host;
  } catch (e) {
    return '?';
  }
}

function rulesTable(rules, ns, reload) {
  if (!rules.length) {
    return h('p', { class: 'muted', id: 'rules-empty' }, 'No rule yet: nothing alerts. Add one below.');
  }
  const rows = rules.map(rule => {
    const result = h('span', { class: 'test-result small', role: 'status' });
    const testButton = h('button', { type: 'button', class: 'rule-test' }, 'Send test');
    const deleteButton = h('button', { type: 'button', class: 'rule-delete' }, 'Delete');
    testButton.addEventListener('click', async () => {
      testButton.disabled = true;
      result.className = 'test-result small';
      result.textContent = 'Sending…';
      try {
        const r = await api.testAlertRule(ns, rule.id);
        result.className = 'test-result small ' + (r.delivered ? 'ok' : 'failed');
        result.textContent = (r.delivered ? 'Delivered' : 'Not delivered')
          + (r.status != null ? `: HTTP ${r.status}` : '') + (r.error ? `: ${r.error}` : '');
      } catch (e) {
        result.className = 'test-result small failed';
        result.textContent = `Not sent: ${e.message}`;
      }
      testButton.disabled = false;
    });
    deleteButton.addEventListener('click', async () => {
      if (!window.confirm(`Delete rule ${rule.id} (${kindText(rule)} to ${host(rule.url)})?`)) return;
      deleteButton.disabled = true;
      try {
        await api.deleteAlertRule(ns, rule.id);
        await reload();
      } catch (e) {
        deleteButton.disabled = false;
        result.className = 'test-result small failed';
        result.textContent = `Not deleted: ${e.message}`;
      }
    });
    return h('tr', { class: 'rule-row', dataset: { rule: rule.id } },
      h('td', { class: 'mono small rule-id', title: `created ${timestamp(rule.createdAt)}` }, rule.id),
      h('td', { class: 'rule-kind', dataset: { kind: rule.kind } }, kindText(rule)),
      h('td', { class: 'mono small rule-host' }, host(rule.url)),
      h('td', { class: 'rule-format' }, rule.format),
      h('td', { class: 'rule-signed' }, rule.signed ? badge('yes', 'ok', { title: 'HMAC-SHA256 signed' }) : 'no'),
      h('td', { class: 'num rule-limit' }, `${count(rule.rateLimit)}/min`),
      h('td', { class: 'rule-actions' }, h('span', { class: 'actions' }, testButton, deleteButton), ' ', result));
  });
  return table(['Rule', 'Kind', 'Target', 'Format', 'Signed', { text: 'Limit', class: 'num' }, ''], rows,
    { class: 'grid alert-rules', id: 'alert-rules' });
}

function field(labelText, control, props) {
  return h('label', { class: 'filter', ...props }, h('span', null, labelText), control);
}

function ruleForm(ns, reload) {
  const kind = h('select', { id: 'rule-kind', name: 'kind' }, KINDS.map(([v, text]) => h('option', { value: v }, text)));
  const help = h('span', { class: 'muted small kind-help', id: 'rule-kind-help' });
  const threshold = h('input', { type: 'number', id: 'rule-threshold', name: 'threshold', min: 1, step: 1, value: 10 });
  const windowMinutes = h('input', { type: 'number', id: 'rule-window', name: 'window', min: 1, step: 1, value: 5 });
  const windowLabel = h('span', null, 'Window (minutes)');
  const thresholdField = field('Threshold (traces)', threshold, { id: 'rule-threshold-field' });
  const windowField = h('label', { class: 'filter', id: 'rule-window-field' }, windowLabel, windowMinutes);
  const url = h('input', {
    type: 'url', id: 'rule-url', name: 'url', required: true, placeholder: 'https://hooks.example.com/…',
    autocomplete: 'off', spellcheck: 'false', class: 'wide',
  });
  const format = h('select', { id: 'rule-format', name: 'format' },
    h('option', { value: 'json' }, 'JSON'), h('option', { value: 'slack' }, 'Slack'));
  const secret = h('input', { type: 'password', id: 'rule-secret', name: 'secret', autocomplete: 'new-password',
    placeholder: 'optional' });
  const rateLimit = h('input', { type: 'number', id: 'rule-rate-limit', name: 'rateLimit', min: 1, max: 1000, step: 1,
    value: 10 });
  const message = h('span', { class: 'save-status', id: 'rule-message', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'rule-add' }, 'Add rule');

  const showKind = () => {
    help.textContent = KIND_HELP[kind.value];
    thresholdField.hidden = kind.value !== 'rate';
    windowField.hidden = kind.value !== 'rate' && kind.value !== 'digest';
    windowLabel.textContent = kind.value === 'digest' ? 'Period (minutes)' : 'Window (minutes)';
    if (kind.value === 'digest' && windowMinutes.value === '5') windowMinutes.value = '60';
    if (kind.value === 'rate' && windowMinutes.value === '60') windowMinutes.value = '5';
  };
  kind.addEventListener('change', showKind);
  showKind();

  const form = h('form', { class: 'rule-form', id: 'rule-form', novalidate: true },
    h('div', { class: 'filters' },
      field('Kind', kind), thresholdField, windowField,
      field('Webhook URL', url, { class: 'filter grow' }),
      field('Format', format),
      field('HMAC secret', secret, { title: 'Signs JSON payloads (Mintaro-Signature header); not shown again' }),
      field('Rate limit (a minute)', rateLimit)),
    h('div', { class: 'form-row' }, help),
    h('div', { class: 'form-row' }, submit, message));

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const rule = { kind: kind.value, url: url.value.trim(), format: format.value,
      rateLimit: Number(rateLimit.value) };
    if (secret.value) rule.secret = secret.value;
    if (kind.value === 'rate') rule.threshold = Number(threshold.value);
    if (kind.value === 'rate' || kind.value === 'digest') rule.windowMs = Math.round(Number(windowMinutes.value) * 60_000);
    const bad = !rule.url ? 'the webhook URL is required'
      : !Number.isInteger(rule.rateLimit) || rule.rateLimit < 1 || rule.rateLimit > 1000 ? 'the rate limit is from 1 to 1000'
        : kind.value === 'rate' && (!Number.isInteger(rule.threshold) || rule.threshold < 1) ? 'the threshold is a whole number from 1'
          : rule.windowMs !== undefined && !(rule.windowMs >= 60_000) ? 'the window is at least a minute' : null;
    if (bad) {
      message.className = 'save-status failed';
      message.textContent = `Not added: ${bad}.`;
      return;
    }
    submit.disabled = true;
    message.className = 'save-status';
    message.textContent = 'Adding…';
    try {
      const created = await api.createAlertRule(ns, rule);
      url.value = '';
      secret.value = '';
      message.className = 'save-status ok';
      message.textContent = `Added rule ${created.id}.`;
      await reload();
    } catch (e) {
      message.className = 'save-status failed';
      message.textContent = `Not added: ${e.message}`;
    }
    submit.disabled = false;
  });
  return form;
}

function deliveriesTable(deliveries) {
  if (!deliveries.length) {
    return h('p', { class: 'muted', id: 'deliveries-empty' }, 'No alert has been raised yet.');
  }
  const rows = deliveries.map(d => {
    const p = d.payload || {};
    const group = p.group && p.group.fingerprint
      ? link(`/groups/${encodeURIComponent(p.group.fingerprint)}`, { class: 'delivery-group' }, p.group.name || p.group.fingerprint)
      : Array.isArray(p.groups) ? h('span', { class: 'muted' }, `${count(p.groups.length)} groups`)
        : h('span', { class: 'muted' }, '–');
    return h('tr', { class: 'delivery-row' + (d.state === 'failed' ? ' failing' : ''), dataset: { event: d.eventKey, state: d.state } },
      h('td', { class: 'mono small delivery-rule' }, d.rule),
      h('td', { class: 'delivery-event' }, h('span', { class: 'strong' }, d.kind),
        p.text ? h('div', { class: 'muted small' }, p.text) : null),
      h('td', { class: 'delivery-group-cell' }, group),
      h('td', { class: 'delivery-state' }, badge(d.state, STATES[d.state] || 'muted')),
      h('td', { class: 'num delivery-attempts' }, count(d.attempts)),
      h('td', { class: 'num delivery-status' }, d.lastStatus == null ? '–' : `HTTP ${d.lastStatus}`),
      h('td', { class: 'delivery-error' }, d.lastError ? h('span', { class: 'error-text' }, d.lastError) : h('span', { class: 'muted' }, '–')),
      h('td', { class: 'nowrap delivery-queued', title: timestamp(d.createdAt) }, relative(d.createdAt)),
      h('td', { class: 'nowrap delivery-delivered', title: d.deliveredAt ? timestamp(d.deliveredAt) : '' },
        d.deliveredAt ? relative(d.deliveredAt) : '–'));
  });
  return table(['Rule', 'Event', 'Group', 'State', { text: 'Attempts', class: 'num' }, { text: 'Last status', class: 'num' },
    'Last error', 'Queued', 'Delivered'], rows, { class: 'grid alert-deliveries', id: 'alert-deliveries' });
}
