// Mintaro control UI: client-side routing and the frame around the views.
import { api, Unauthorized, currentNamespace, useNamespace } from './api.js';
import { h, replace } from './dom.js';
import { renderDashboard, rememberedDashboard } from './dashboard.js';
import { renderGroup } from './group.js';
import { renderTrace } from './trace.js';
import { renderSlow } from './slow.js';
import { renderStatus } from './status.js';
import { renderServices, renderService } from './services.js';
import { renderAlerts } from './alerts.js';
import { renderLogin } from './login.js';

const main = document.getElementById('main');
const TRACE_ID = /^[0-9a-fA-F]{32}$/;

const ROUTES = [
  [/^\/$/, renderDashboard, 'errors'],
  [/^\/groups\/([^/]+)\/?$/, renderGroup, 'errors'],
  [/^\/traces\/([^/]+)\/?$/, renderTrace, 'errors'],
  [/^\/slow\/?$/, renderSlow, 'slow'],
  [/^\/services\/?$/, renderServices, 'services'],
  [/^\/services\/([^/]+)\/?$/, renderService, 'services'],
  [/^\/status\/?$/, renderStatus, 'status'],
  [/^\/alerts\/?$/, renderAlerts, 'alerts'],
  [/^\/login\/?$/, renderLogin, null],
];

let generation = 0;

/** Goes to a path of this UI without reloading the page. */
export function navigate(path, { replace: replaceEntry = false } = {}) {
  const target = new URL(path, location.origin);
  if (target.origin !== location.origin) {
    location.assign(target.href);
    return;
  }
  const next = target.pathname + target.search + target.hash;
  if (replaceEntry) history.replaceState(null, '', next);
  else if (next !== location.pathname + location.search + location.hash) history.pushState(null, '', next);
  route();
}

/** Changes the URL's query without re-rendering (the view already shows that state). */
export function updateUrl(path) {
  history.replaceState(null, '', path);
}

async function route() {
  const gen = ++generation;
  const url = new URL(location.href);
  let match = null;
  let view = null;
  let section = null;
  for (const [pattern, render, nav] of ROUTES) {
    match = url.pathname.match(pattern);
    if (match) {
      view = render;
      section = nav;
      break;
    }
  }
  document.body.classList.toggle('signed-out', view === renderLogin);
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.id === `nav-${section}`);
  }
  const ctx = {
    url,
    query: url.searchParams,
    main,
    navigate,
    updateUrl,
    current: () => gen === generation,
    title: text => {
      document.title = text ? `${text} · Mintaro` : 'Mintaro';
    },
    /** Marks the view as rendered, for load-time measurements (read by the browser tests). */
    rendered: name => {
      if (gen !== generation) return;
      window.__mintaroRendered = performance.now();
      window.__mintaroView = name;
      document.body.dataset.view = name;
      requestAnimationFrame(() => setTimeout(() => {
        if (gen === generation) window.__mintaroPainted = performance.now();
      }, 0));
    },
  };
  window.__mintaroView = null;
  delete document.body.dataset.view;
  if (!view) {
    ctx.title('Not found');
    replace(main, h('div', { class: 'empty' }, h('h1', null, 'Not found'),
      h('p', null, 'This page does not exist. ', h('a', { href: '/', 'data-nav': true }, 'Back to the errors.'))));
    return;
  }
  if (view !== renderLogin) showNamespaces(gen);
  try {
    await view(ctx, ...match.slice(1).map(decodeURIComponent));
  } catch (e) {
    if (!ctx.current()) return;
    if (e instanceof Unauthorized) {
      const next = url.pathname + url.search;
      navigate(`/login?next=${encodeURIComponent(next)}`, { replace: true });
      return;
    }
    showError(e);
  }
}

/** The namespace switcher: shown when the session reads more than one namespace. */
async function showNamespaces(gen) {
  const select = document.getElementById('namespace');
  let found;
  try {
    found = await api.namespaces();
  } catch (e) {
    return; // the view shows the error (or the sign-in page)
  }
  if (gen !== generation) return;
  const names = found.namespaces || [];
  if (currentNamespace() && !names.includes(currentNamespace())) useNamespace(null);
  replace(select, ...names.map(name => h('option', { value: name }, name)));
  select.value = currentNamespace() || found.current;
  select.hidden = names.length < 2;
  document.body.dataset.namespace = select.value;
}

document.getElementById('namespace').addEventListener('change', event => {
  useNamespace(event.target.value);
  // Groups, traces and services are all the namespace's own: start again from its errors.
  navigate('/');
});

function showError(e) {
  if (e && e.status === 404) {
    document.title = 'Not found · Mintaro';
    replace(main, h('div', { class: 'empty', id: 'not-found' }, h('h1', null, 'Not found'),
      h('p', null, `The collector answered: ${e.message}.`),
      h('p', null, h('a', { href: '/', 'data-nav': true }, 'Back to the errors'))));
    return;
  }
  console.error(e);
  replace(main, h('div', { class: 'error-box', role: 'alert' },
    h('strong', null, 'Something went wrong. '),
    e && e.message ? e.message : String(e)));
}

document.addEventListener('click', event => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest('a[data-nav]');
  if (!a || a.target) return;
  event.preventDefault();
  navigate(a.getAttribute('href'));
});

window.addEventListener('popstate', () => route());

document.getElementById('search').addEventListener('submit', event => {
  event.preventDefault();
  const input = document.getElementById('search-input');
  const text = input.value.trim();
  if (TRACE_ID.test(text)) {
    input.value = '';
    navigate(`/traces/${text.toLowerCase()}`);
    return;
  }
  const params = new URLSearchParams(location.pathname === '/' ? location.search : rememberedDashboard());
  if (text) params.set('q', text);
  else params.delete('q');
  params.delete('page');
  const q = params.toString();
  navigate(q ? `/?${q}` : '/');
});

document.getElementById('signout').addEventListener('click', async event => {
  event.preventDefault();
  try {
    await api.signOut();
  } catch (e) {
    // signed out already, or the collector is away: the login page is right either way
  }
  navigate('/login', { replace: true });
});

route();
