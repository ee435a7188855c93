// Charts as inline SVG: one bar per bucket of counts, with labels and marks. No library, no build.

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes (null ones left out) and children (strings become text). */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value != null) el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child != null) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Local date, and time of day to the minute unless a bucket is a day or more wide. */
export function bucketLabel(ms, widthMs) {
  const d = new Date(ms);
  const pad = n => String(n).padStart(2, '0');
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return widthMs >= 86_400_000 ? day : `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * One bar per value, scaled to the largest. Options:
 * - width, height: the drawing's size in its own units (it scales to its box);
 * - top, bottom: room above and below the bars for labels;
 * - barClass: class of every bar, next to "bar";
 * - title(i, value): each bar's tooltip;
 * - label: text at the top left; first, last: texts at the bottom left and right;
 * - marks: [{ at: 0..1 across the width, text, class }], drawn as vertical lines;
 * - class, ariaLabel, axis (default true), stretch (ignore the aspect ratio, for small charts).
 */
export function bars(values, o = {}) {
  const width = o.width ?? 1200;
  const height = o.height ?? 120;
  const top = o.top ?? 16;
  const bottom = o.bottom ?? 18;
  const room = height - top - bottom;
  const max = Math.max(0, ...values);
  const step = values.length ? width / values.length : width;
  const gap = step > 4 ? 1 : 0;
  const rects = values.map((value, i) => {
    const barHeight = max ? Math.max(value ? 1 : 0, Math.round((value / max) * room)) : 0;
    return svg('rect', {
      class: `bar${o.barClass ? ' ' + o.barClass : ''}`, x: (i * step).toFixed(2), y: height - bottom - barHeight,
      width: Math.max(0.5, step - gap).toFixed(2), height: barHeight, 'data-index': i, 'data-value': value,
    }, o.title ? svg('title', null, o.title(i, value)) : null);
  });
  const marks = (o.marks || []).filter(m => m.at >= 0 && m.at <= 1).map(m => {
    const x = Math.min(width - 0.5, Math.max(0.5, m.at * width)).toFixed(2);
    const end = m.at > 0.5;
    return svg('g', { class: `mark ${m.class || ''}` },
      svg('line', { x1: x, x2: x, y1: top, y2: height - bottom }),
      m.text ? svg('text', { class: `chart-label mark-label${end ? ' end' : ''}`, x: end ? x - 3 : +x + 3, y: top + 10 },
        m.text) : null);
  });
  const axis = o.axis === false ? null
    : svg('line', { class: 'chart-axis', x1: 0, y1: height - bottom + 0.5, x2: width, y2: height - bottom + 0.5 });
  return svg('svg', {
    class: `chart${o.class ? ' ' + o.class : ''}`, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': o.ariaLabel, preserveAspectRatio: o.stretch ? 'none' : null, 'data-max': max,
  },
  axis,
  o.label ? svg('text', { class: 'chart-label', x: 2, y: 11 }, o.label) : null,
  rects,
  marks,
  o.first ? svg('text', { class: 'chart-label', x: 2, y: height - 4 }, o.first) : null,
  o.last ? svg('text', { class: 'chart-label end', x: width - 2, y: height - 4 }, o.last) : null);
}

/** A small chart of counts, without labels, for a table cell. */
export function sparkline(values, { title, ariaLabel, barClass, width = 120, height = 24 } = {}) {
  return bars(values, { width, height, top: 1, bottom: 1, stretch: true, class: 'spark', title, ariaLabel, barClass });
}
