// What every view shares: the caller, the policy, announcements, problem display and navigation.
import { ApiError, credentials } from './api.js';
import { h, replace } from './dom.js';

/** The caller (GET /api/me) and the active policy (GET /api/policy), once signed in. */
export const session = { me: null, policy: null, onSignOut: null, route: null };

/** Announces a message to screen readers and shows it in the status bar. */
let clearing = 0;
export function announce(text) {
  const status = document.getElementById('status');
  replace(status, text);
  clearTimeout(clearing);
  clearing = setTimeout(() => replace(status), 10000);
}

export function isCompliance() {
  return session.me?.roles?.includes('compliance') ?? false;
}

/** A problem from the API as a readable alert. */
export function problemView(error) {
  if (!(error instanceof ApiError)) {
    return h('div', { class: 'alert', role: 'alert' }, h('p', { class: 'alert-title' }, 'Something went wrong in the console.'), h('p', {}, String(error?.message ?? error)));
  }
  const lines = error.fieldErrors;
  return h('div', { class: 'alert', role: 'alert' },
    h('p', { class: 'alert-title' }, error.problem?.title ?? `The gate answered ${error.status}.`),
    error.message ? h('p', {}, error.message) : null,
    lines.length ? h('ul', {}, lines.map((l) => h('li', {}, l))) : null,
    error.status === 401 ? h('p', {}, h('button', { type: 'button', onclick: () => session.onSignOut?.() }, 'Sign in again')) : null);
}

/** Moves to a view; the hash holds the filters, so reload and back keep them. */
export function navigate(hash) {
  if (location.hash === hash) session.route?.(); else location.hash = hash;
}

export { credentials };
