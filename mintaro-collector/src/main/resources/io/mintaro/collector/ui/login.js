// The sign-in page: an API key buys a session cookie (POST /api/session).
import { api, Unauthorized } from './api.js';
import { h, replace } from './dom.js';

/** Only paths of this UI are followed after signing in (no open redirect). */
export function safeNext(value) {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.startsWith('/login')) {
    return '/';
  }
  return value;
}

export async function renderLogin(ctx) {
  ctx.title('Sign in');
  const next = safeNext(ctx.query.get('next'));
  const message = h('p', { class: 'login-message', id: 'login-error', role: 'alert' });
  const key = h('input', {
    type: 'password', id: 'api-key', name: 'apiKey', autocomplete: 'current-password', required: true,
    spellcheck: 'false', 'aria-describedby': 'login-error',
  });
  const button = h('button', { type: 'submit', class: 'primary', id: 'sign-in' }, 'Sign in');
  const form = h('form', { class: 'login-card', id: 'login-form' },
    h('h1', null, 'Sign in to Mintaro'),
    h('p', { class: 'muted' }, ctx.query.get('add')
      ? 'Sign in with a key of another namespace: the switcher at the top then offers both.'
      : 'Use a read or admin key of your namespace (or the key the collector printed on first start).'),
    h('label', { for: 'api-key' }, 'API key'),
    key,
    button,
    message);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    message.textContent = '';
    button.disabled = true;
    try {
      await api.signIn(key.value.trim());
      ctx.navigate(ctx.query.get('add') ? '/' : next, { replace: true });
    } catch (e) {
      button.disabled = false;
      message.textContent = e instanceof Unauthorized ? 'That API key was not accepted.' : `Cannot sign in: ${e.message}`;
      key.select();
    }
  });
  replace(ctx.main, h('div', { class: 'login-page' }, form));
  key.focus();
  ctx.rendered('login');
}
