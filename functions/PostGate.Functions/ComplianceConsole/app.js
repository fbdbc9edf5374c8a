// The console's shell: sign-in, who is signed in, navigation between the decision list, one decision and the dashboard.
import { ApiError, credentials, getJson } from './api.js';
import { h, replace } from './dom.js';
import { announce, problemView, session } from './shell.js';
import { renderDecisionList } from './decisions.js';
import { renderDecision } from './decision.js';
import { renderDashboard } from './dashboard.js';

const main = document.getElementById('main');
const who = document.getElementById('who');
const nav = document.getElementById('nav');

async function start() {
  session.me = null;
  if (!credentials.signedOut || credentials.apiKey) {
    try {
      const me = await getJson('me');
      session.me = me.signedIn ? me : null;
    } catch (error) {
      // NOTE: in Azure the Functions host may want its function key before it forwards anything; the sign-in form
      // takes one.
      if (!(error instanceof ApiError) || error.status !== 401) {
        replace(main, problemView(error));
        return;
      }
    }
  }
  if (!session.me) {
    showSignIn();
    return;
  }
  try {
    session.policy = await getJson('policy');
  } catch (error) {
    replace(main, problemView(error));
    return;
  }
  showSignedIn();
  window.removeEventListener('hashchange', onHashChange);
  window.addEventListener('hashchange', onHashChange);
  route();
}

function showSignIn(message) {
  nav.hidden = true;
  replace(who);
  const key = h('input', { id: 'api-key', name: 'apiKey', type: 'password', autocomplete: 'current-password', required: true, spellcheck: 'false' });
  const functionsKey = h('input', { id: 'functions-key', name: 'functionsKey', type: 'password', autocomplete: 'off', spellcheck: 'false' });
  const error = h('div', { 'aria-live': 'polite' }, message ? h('p', { class: 'alert', role: 'alert' }, message) : null);
  const form = h('form', { class: 'signin card', onsubmit: async (event) => {
    event.preventDefault();
    credentials.signIn(key.value.trim(), functionsKey.value.trim());
    await signInWith(error);
  } },
  h('h1', {}, 'Sign in'),
  h('p', {}, 'Enter your compliance key. It is kept in this browser tab only and sent with each request.'),
  h('label', { for: 'api-key' }, 'Compliance key'),
  key,
  h('details', {},
    h('summary', {}, 'In Azure'),
    h('p', {}, 'With App Service authentication on, sign in with your organization account instead; the Functions host may also ask for its function key.'),
    h('p', {}, h('a', { href: '/.auth/login/aad?post_login_redirect_uri=/api/console/' }, 'Sign in with your organization account')),
    h('label', { for: 'functions-key' }, 'Function key (optional)'),
    functionsKey),
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    h('button', { type: 'button', onclick: async () => { credentials.signIn('', ''); await signInWith(error); } }, 'Continue with the current session')),
  error);
  replace(main, form);
  key.focus();
}

async function signInWith(errorArea) {
  let me;
  try {
    me = await getJson('me');
  } catch (error) {
    replace(errorArea, problemView(error));
    return;
  }
  if (!me.signedIn) {
    credentials.signOut();
    replace(errorArea, h('p', { class: 'alert', role: 'alert' }, 'Not signed in: the key was not accepted, or there is no signed-in session.'));
    return;
  }
  await start();
}

function signOut() {
  credentials.signOut();
  session.me = null;
  session.policy = null;
  window.removeEventListener('hashchange', onHashChange);
  history.replaceState(null, '', '#/');
  showSignIn();
  announce('Signed out.');
}

function showSignedIn() {
  nav.hidden = false;
  const how = { ApiKey: 'API key', AppService: 'App Service', Open: 'open mode' }[session.me.authentication] ?? session.me.authentication;
  replace(who,
    h('span', { class: 'who-name', id: 'signed-in-as' }, `Signed in as ${session.me.name}`),
    h('span', { class: 'who-detail' }, ` (${session.me.roles.join(', ') || 'no role'}; ${how})`),
    session.me.authentication === 'Open' ? h('span', { class: 'badge warning' }, 'authentication is off') : null,
    h('button', { type: 'button', id: 'sign-out', onclick: signOut }, 'Sign out'));
}

/** A new view: keyboard and screen-reader users start at its top, not on a link that is gone. */
function onHashChange() {
  route();
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

/** Parses the hash: #/decisions?…, #/decisions/{account}/{id}, #/dashboard?… */
function route() {
  const hash = location.hash.replace(/^#/, '') || '/decisions';
  const [path, query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  for (const link of nav.querySelectorAll('a')) {
    link.toggleAttribute('aria-current', link.dataset.view === parts[0]);
    if (link.dataset.view === parts[0]) link.setAttribute('aria-current', 'page');
  }
  if (parts[0] === 'dashboard') {
    document.title = 'Dashboard · PostGate';
    renderDashboard(main, params);
  } else if (parts[0] === 'decisions' && parts.length === 3) {
    document.title = 'Decision · PostGate';
    renderDecision(main, decodeURIComponent(parts[1]), decodeURIComponent(parts[2]));
  } else {
    document.title = 'Decisions · PostGate';
    renderDecisionList(main, params);
  }
}

session.onSignOut = signOut;
session.route = route;
start();
