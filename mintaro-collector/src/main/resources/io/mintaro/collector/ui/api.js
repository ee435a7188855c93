// The collector's REST API (docs/api.md), with the browser session cookie.

export class Unauthorized extends Error {
  constructor() {
    super('not signed in');
    this.name = 'Unauthorized';
  }
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

const NAMESPACE_KEY = 'mintaro.namespace';
let namespace = sessionStorage.getItem(NAMESPACE_KEY);

/** The namespace the UI reads (null: the collector's choice for this session). */
export function currentNamespace() {
  return namespace;
}

/** Reads {@code name} from now on (null: the collector's choice). */
export function useNamespace(name) {
  namespace = name || null;
  if (namespace) sessionStorage.setItem(NAMESPACE_KEY, namespace);
  else sessionStorage.removeItem(NAMESPACE_KEY);
}

// An admin key the user typed on the alerts page: rule changes take a bearer admin key (sessions
// may only read, as for key management). Held in this page's memory only, never stored.
let adminKey = null;

/** The admin key rule changes are sent with (null: none given yet). */
export function currentAdminKey() {
  return adminKey;
}

export function useAdminKey(key) {
  adminKey = key ? key.trim() || null : null;
}

function inNamespace(path) {
  if (!namespace || path.startsWith('/api/session')) return path;
  return path + (path.includes('?') ? '&' : '?') + 'namespace=' + encodeURIComponent(namespace);
}

async function request(method, path, body, retried) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  return send(init, inNamespace(path), body, retried ? null : () => request(method, path, body, true));
}

/**
 * A request authenticated by the admin key instead of the session cookie, in {@code ns} (the
 * namespace the page shows: a key of another namespace is refused rather than used there).
 */
async function asAdmin(ns, method, path, body) {
  if (!adminKey) throw new ApiError(403, 'changing alert rules takes an admin key: enter one first');
  const init = { method, credentials: 'omit', headers: { Accept: 'application/json', Authorization: `Bearer ${adminKey}` } };
  const target = path + (path.includes('?') ? '&' : '?') + 'namespace=' + encodeURIComponent(ns);
  try {
    return await send(init, target, body, null);
  } catch (e) {
    // The key's fault, not the session's: stay signed in, and say what is wrong with the key.
    if (e instanceof Unauthorized) throw new ApiError(401, 'that admin key was not accepted');
    if (e.status === 404 && e.message === 'unknown namespace') {
      throw new ApiError(404, `that key is not a key of namespace ${ns}`);
    }
    throw e;
  }
}

/** Sends a request; {@code retry}: sends it again once the namespace is forgotten (or null). */
async function send(init, target, body, retry) {
  if (init.method !== 'GET') {
    // Writes with the session cookie must be JSON (the collector's CSRF rule).
    init.headers['Content-Type'] = 'application/json';
    if (body !== undefined) init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(target, init);
  } catch (e) {
    throw new ApiError(0, 'The collector cannot be reached.');
  }
  if (response.status === 401) throw new Unauthorized();
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = null;
  }
  if (response.status === 404 && data && data.error === 'unknown namespace' && namespace && retry) {
    // A namespace this session no longer reads (signed in again): back to the collector's choice.
    useNamespace(null);
    return retry();
  }
  if (!response.ok) {
    throw new ApiError(response.status, (data && data.error) || `${response.status} ${response.statusText}`);
  }
  return data;
}

/** Builds a query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach(v => q.append(key, String(v)));
    else if (value !== null && value !== undefined && value !== '') q.set(key, String(value));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

export const api = {
  signIn: apiKey => request('POST', '/api/session', { apiKey }),
  signOut: () => request('DELETE', '/api/session'),
  services: params => request('GET', '/api/services' + query(params || {})),
  service: (name, params) => request('GET', `/api/services/${encodeURIComponent(name)}` + query(params || {})),
  groups: params => request('GET', '/api/groups' + query(params)),
  group: fp => request('GET', `/api/groups/${encodeURIComponent(fp)}`),
  histogram: (fp, params) => request('GET', `/api/groups/${encodeURIComponent(fp)}/histogram` + query(params || {})),
  groupTraces: (fp, params) => request('GET', `/api/groups/${encodeURIComponent(fp)}/traces` + query(params)),
  triage: (fp, change) => request('PUT', `/api/groups/${encodeURIComponent(fp)}/triage`, change),
  trace: id => request('GET', `/api/traces/${encodeURIComponent(id)}`),
  slow: params => request('GET', '/api/slow' + query(params)),
  health: () => request('GET', '/api/health'),
  namespaces: () => request('GET', '/api/namespaces'),
  alertRules: () => request('GET', '/api/alerts/rules'),
  createAlertRule: (ns, rule) => asAdmin(ns, 'POST', '/api/alerts/rules', rule),
  deleteAlertRule: (ns, id) => asAdmin(ns, 'DELETE', `/api/alerts/rules/${encodeURIComponent(id)}`),
  testAlertRule: (ns, id) => asAdmin(ns, 'POST', `/api/alerts/rules/${encodeURIComponent(id)}/test`),
  alertDeliveries: params => request('GET', '/api/alerts/deliveries' + query(params || {})),
};
