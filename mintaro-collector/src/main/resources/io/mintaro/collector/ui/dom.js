// DOM building without HTML parsing: every piece of data becomes a text node, never markup.
// (Bodies, log lines and names come from the monitored services and may be hostile.)

/**
 * Creates an element. props: class, text, dataset, on<event> handlers, boolean attributes
 * (true sets, false/null skips) and other attributes as strings. Children: nodes or strings.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value == null || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'text') el.textContent = String(value);
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (value === true) el.setAttribute(key, '');
      else el.setAttribute(key, String(value));
    }
  }
  appendAll(el, children);
  return el;
}

export function appendAll(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return appendAll(el, children);
}

/** A link handled by the client-side router (see app.js). */
export function link(href, props, ...children) {
  return h('a', { ...props, href, 'data-nav': true }, ...children);
}

export function table(headers, rows, props) {
  return h('table', props,
    h('thead', null, h('tr', null, headers.map(col =>
      typeof col === 'string' ? h('th', { scope: 'col' }, col) : h('th', { scope: 'col', class: col.class }, col.text)))),
    h('tbody', null, rows));
}

// Service colours: slots 0-9 (.svc-N chips and .svc-bg-N bars in style.css), handed out in an
// order where neighbours contrast. Services the collector knows are numbered alphabetically, so
// a service keeps its colour in every view; others get the next slot when first seen.
const CONTRAST_ORDER = [0, 2, 1, 3, 4, 5, 7, 8, 6, 9];
const slots = new Map();

function assign(name) {
  const slot = CONTRAST_ORDER[slots.size % CONTRAST_ORDER.length];
  slots.set(name, slot);
  return slot;
}

/** Registers the services the collector knows (GET /api/services), before any is drawn. */
export function knowServices(names) {
  for (const name of [...new Set(names)].sort()) {
    if (!slots.has(name)) assign(name);
  }
}

export function serviceSlot(name) {
  return slots.has(name) ? slots.get(name) : assign(name);
}

export function serviceChip(name) {
  return h('span', { class: `svc svc-${serviceSlot(name)}`, dataset: { service: name } }, name);
}

export function badge(text, kind, props) {
  return h('span', { ...props, class: `badge badge-${kind}` + (props && props.class ? ' ' + props.class : '') }, text);
}
