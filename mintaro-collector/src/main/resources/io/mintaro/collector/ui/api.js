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

function inNamespace(path) {
  if (!namespace || path.startsWith('/api/session')) return path;
  return path + (path.includes('?') ? '&' : '?') + 'namespace=' + encodeURIComponent(namespace);
}

async function request(method, path, body, retried) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (method !== 'GET') {
    // Writes with the session cookie must be JSON (the collector's CSRF rule).
    init.headers['Content-Type'] = 'application/json';
    if (body !== undefined) init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(inNamespace(path), init);
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
  if (response.status === 404 && data && data.error === 'unknown namespace' && namespace && !retried) {
    // A namespace this session no longer reads (signed in again): back to the collector's choice.
    useNamespace(null);
    return request(method, path, body, true);
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
  alertRules: () => request('GET', '/api/alerts/rules'),
  addAlertRule: rule => request('POST', '/api/alerts/rules', rule),
  deleteAlertRule: id => request('DELETE', `/api/alerts/rules/${encodeURIComponent(id)}`),
  testAlertRule: id => request('POST', `/api/alerts/rules/${encodeURIComponent(id)}/test`, {}),
  alertDeliveries: params => request('GET', '/api/alerts/deliveries' + query(params || {})),
  namespaces: () => request('GET', '/api/namespaces'),
};
