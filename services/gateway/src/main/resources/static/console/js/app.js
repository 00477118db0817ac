// The console's shell: sign-in with an API key, and a hash router (#/executions, #/executions/{id}, #/workflows,
// #/workflows/{id}, #/secrets) that gives each view the main element and stops the view it replaces (its polls and
// streams).

import { ApiError, call, session } from './api.js';
import { h, message, replace } from './dom.js';
import { executionsView } from './executions.js';
import { executionView } from './execution.js';
import { secretsView } from './secrets.js';
import { workflowsView, workflowView } from './workflows.js';

const main = document.getElementById('main');
let stopCurrent = () => {};

const routes = [
  [/^#\/executions\/([^/?]+)$/, (m) => executionView(main, decodeURIComponent(m[1]))],
  [/^#\/executions(?:\?(.*))?$/, (m) => executionsView(main, new URLSearchParams(m[1] ?? ''))],
  [/^#\/workflows\/([^/?]+)$/, (m) => workflowView(main, decodeURIComponent(m[1]))],
  [/^#\/workflows$/, () => workflowsView(main)],
  [/^#\/secrets$/, () => secretsView(main)],
];

function route() {
  stopCurrent();
  stopCurrent = () => {};
  const signedIn = Boolean(session.key());
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('sign-out').hidden = !signedIn;
  if (!signedIn) {
    signIn();
    return;
  }
  const hash = location.hash || '#/executions';
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', hash.startsWith(`#/${link.dataset.nav}`));
  }
  for (const [pattern, view] of routes) {
    const match = hash.match(pattern);
    if (match) {
      stopCurrent = view(match) ?? (() => {});
      return;
    }
  }
  replace(main, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/executions' }, 'Executions')));
}

function signIn() {
  const key = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', placeholder: 'rs_…', required: true });
  const status = h('div');
  const form = h('form', {
    class: 'panel login',
    onsubmit: async (event) => {
      event.preventDefault();
      session.signIn(key.value.trim());
      try {
        await call('GET', '/v1/workflows?limit=1');
        route();
      } catch (e) {
        session.signOut();
        replace(status, message('error', e instanceof ApiError && e.status === 401
          ? 'That API key was refused.' : `The API could not be reached: ${e.message}`));
      }
    },
  },
  h('h1', {}, 'Sign in'),
  h('p', { class: 'muted' }, 'The console shows the executions, workflows and secrets (never their values) of the API key\'s tenant. The key stays in this tab only.'),
  h('label', {}, 'API key', key), status,
  h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit', id: 'sign-in' }, 'Sign in')));
  replace(main, form);
  key.focus();
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  location.hash = '#/executions';
  route();
});
window.addEventListener('hashchange', route);
route();
