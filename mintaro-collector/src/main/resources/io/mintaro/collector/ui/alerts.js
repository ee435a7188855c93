// Alerts: the namespace's rules (GET/POST /api/alerts/rules, DELETE, test) and the deliveries
// with their last status (GET /api/alerts/deliveries). Changes need an admin key.
import { api } from './api.js';
import { h, replace, table, badge } from './dom.js';
import { relative, timestamp, count } from './format.js';

const KINDS = [
  ['new_group', 'New error group'],
  ['regression', 'Regression (triaged OK or silence over, then again)'],
  ['rate', 'Rate above a threshold'],
  ['alert_level', 'Every new trace of an ALERT group'],
  ['digest', 'Digest of WARN groups'],
];

export async function renderAlerts(ctx) {
  ctx.title('Alerts');
  const [rules, deliveries] = await Promise.all([api.alertRules(), api.alertDeliveries({ limit: 100 })]);
  if (!ctx.current()) return;
  const status = h('span', { class: 'save-status', id: 'alert-status', role: 'status' });
  const report = (text, ok) => {
    status.textContent = text;
    status.className = `save-status ${ok ? 'ok' : 'failed'}`;
  };
  const failed = e => report(e.name === 'Unauthorized' ? 'Not signed in: reload to sign in.' : `Failed: ${e.message}`, false);
  const reload = () => ctx.navigate('/alerts', { replace: true });

  const ruleRows = (rules.rules || []).map(r => {
    const test = h('button', { type: 'button', class: 'rule-test' }, 'Send test');
    test.addEventListener('click', async () => {
      report('Sending…', true);
      try {
        const result = await api.testAlertRule(r.id);
        if (result.delivered) report(`Delivered: HTTP ${result.status}`, true);
        else report(`Not delivered: ${result.status ? `HTTP ${result.status}` : result.error}`, false);
      } catch (e) {
        failed(e);
      }
    });
    const remove = h('button', { type: 'button', class: 'rule-delete link' }, 'Delete');
    remove.addEventListener('click', async () => {
      try {
        await api.deleteAlertRule(r.id);
        reload();
      } catch (e) {
        failed(e);
      }
    });
    return h('tr', { class: 'rule-row', dataset: { id: r.id, kind: r.kind } },
      h('td', { class: 'mono' }, r.id),
      h('td', null, (KINDS.find(k => k[0] === r.kind) || [r.kind, r.kind])[1]),
      h('td', { class: 'mono rule-url' }, r.url),
      h('td', null, r.format),
      h('td', null, r.signed ? badge('signed', 'ok') : h('span', { class: 'muted' }, 'no')),
      h('td', null, condition(r)),
      h('td', { class: 'num' }, count(r.rateLimit)),
      h('td', { class: 'nowrap' }, test, ' ', remove));
  });

  const deliveryRows = (deliveries.deliveries || []).map(d => h('tr', { class: 'delivery-row', dataset: { state: d.state, rule: d.rule } },
    h('td', { class: 'nowrap', title: timestamp(d.createdAt) }, relative(d.createdAt)),
    h('td', { class: 'mono' }, d.rule),
    h('td', null, d.kind),
    h('td', null, badge(d.state, d.state === 'delivered' ? 'ok' : d.state === 'failed' ? 'error' : 'slow')),
    h('td', { class: 'num' }, count(d.attempts)),
    h('td', { class: 'last-status' }, d.lastStatus != null ? `HTTP ${d.lastStatus}` : (d.lastError || '–')),
    h('td', { class: 'nowrap', title: timestamp(d.deliveredAt) }, d.deliveredAt ? relative(d.deliveredAt) : '–')));

  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', null, 'Alerts'),
      h('span', { class: 'muted' }, 'webhooks told about new, returning and frequent errors (docs/alerts.md)')),
    h('section', { class: 'panel', 'aria-label': 'Rules' },
      h('h2', null, 'Rules'),
      ruleRows.length
        ? table(['Id', 'When', 'Webhook', 'Format', 'Signed', 'Condition', { text: 'Per minute', class: 'num' }, ''], ruleRows,
          { class: 'grid rules', id: 'alert-rules' })
        : h('p', { class: 'empty', id: 'alert-rules-empty' }, 'No alert rules: nobody is told about new errors.'),
      ruleForm(async body => {
        try {
          await api.addAlertRule(body);
          reload();
        } catch (e) {
          failed(e);
        }
      }),
      status),
    h('section', { class: 'panel', 'aria-label': 'Deliveries' },
      h('h2', null, 'Deliveries'),
      deliveryRows.length
        ? table(['Created', 'Rule', 'Event', 'State', { text: 'Attempts', class: 'num' }, 'Last status', 'Delivered'],
          deliveryRows, { class: 'grid deliveries', id: 'alert-deliveries' })
        : h('p', { class: 'empty', id: 'alert-deliveries-empty' }, 'Nothing delivered yet.')));
  ctx.rendered('alerts');
}

function condition(r) {
  if (r.kind === 'rate') return `above ${count(r.threshold)} in ${Math.round(r.windowMs / 1000)} s`;
  if (r.kind === 'digest') return `every ${Math.round(r.windowMs / 1000)} s`;
  return '';
}

/** The form of a new rule; {@code submit} gets the API's body. */
function ruleForm(submit) {
  const kind = h('select', { id: 'rule-kind', 'aria-label': 'When' }, KINDS.map(([v, text]) => h('option', { value: v }, text)));
  const url = h('input', { id: 'rule-url', type: 'url', required: true, placeholder: 'https://hooks.example.com/mintaro', size: 40 });
  const format = h('select', { id: 'rule-format', 'aria-label': 'Format' },
    h('option', { value: 'json' }, 'JSON'), h('option', { value: 'slack' }, 'Slack'));
  const secret = h('input', { id: 'rule-secret', type: 'password', autocomplete: 'off', placeholder: 'HMAC secret (optional)' });
  const threshold = h('input', { id: 'rule-threshold', type: 'number', min: 1, value: 10, size: 5 });
  const minutes = h('input', { id: 'rule-window', type: 'number', min: 1, value: 10, size: 5 });
  const limit = h('input', { id: 'rule-limit', type: 'number', min: 1, max: 1000, value: 10, size: 5 });
  const rateFields = h('span', { class: 'rate-fields' },
    h('label', { class: 'filter' }, h('span', null, 'Above'), threshold),
    h('label', { class: 'filter' }, h('span', null, 'Minutes'), minutes));
  const showRate = () => { rateFields.hidden = kind.value !== 'rate' && kind.value !== 'digest'; };
  kind.addEventListener('change', showRate);
  showRate();
  const form = h('form', { class: 'filters rule-form', id: 'rule-form' },
    h('label', { class: 'filter' }, h('span', null, 'When'), kind),
    h('label', { class: 'filter' }, h('span', null, 'Webhook URL'), url),
    h('label', { class: 'filter' }, h('span', null, 'Format'), format),
    h('label', { class: 'filter' }, h('span', null, 'Secret'), secret),
    rateFields,
    h('label', { class: 'filter' }, h('span', null, 'At most per minute'), limit),
    h('button', { type: 'submit', id: 'rule-add' }, 'Add rule'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const body = { kind: kind.value, url: url.value.trim(), format: format.value, rateLimit: Number(limit.value) };
    if (secret.value) body.secret = secret.value;
    if (kind.value === 'rate') body.threshold = Number(threshold.value);
    if (kind.value === 'rate' || kind.value === 'digest') body.windowMs = Number(minutes.value) * 60_000;
    submit(body);
  });
  return form;
}
