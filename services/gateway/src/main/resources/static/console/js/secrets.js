// The tenant's secrets, write-only: the list (names and times; the API never returns a value), a form that adds a
// secret or replaces its value, and delete after a confirm. The value typed is cleared as soon as it is saved.

import { call, get } from './api.js';
import { h, message, replace, time } from './dom.js';

/** The value as it is sent: the text's JSON value when it parses as one (null aside), else the text as a string. */
function valueOf(text) {
  try {
    const value = JSON.parse(text);
    if (value !== null) return { value, kind: Array.isArray(value) ? 'a JSON array' : `a JSON ${typeof value}` };
  } catch {
    // not JSON: the text itself
  }
  return { value: text, kind: 'text' };
}

export function secretsView(main) {
  const table = h('tbody', { id: 'secrets' });
  const status = h('div', { id: 'secret-outcome' });
  const name = h('input', { id: 'secret-name', autocomplete: 'off', spellcheck: 'false', required: true, size: 40,
    maxlength: 128, placeholder: 'api-token' });
  const value = h('textarea', { id: 'secret-value', autocomplete: 'off', spellcheck: 'false', required: true,
    placeholder: 'a token, or JSON such as {"username": "u", "password": "p"}' });

  const path = (secret) => `/v1/secrets/${encodeURIComponent(secret)}`;

  async function load() {
    try {
      const page = await get('/v1/secrets');
      replace(table, page.items.length ? page.items.map(row)
        : h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No secrets yet. Add one with the form below.')));
    } catch (e) {
      replace(status, message('error', `${e.code ?? ''} ${e.message}`));
    }
  }

  function row(s) {
    const actions = h('td', { class: 'actions-cell' });
    const offer = () => replace(actions,
      h('button', { type: 'button', 'data-replace': s.name, onclick: () => { name.value = s.name; value.focus(); } }, 'Replace'),
      h('button', { type: 'button', class: 'danger', 'data-delete': s.name, onclick: () => ask() }, 'Delete'));
    const ask = () => replace(actions, h('span', { class: 'confirm' }, `Delete ${s.name}? This cannot be undone.`),
      h('button', { type: 'button', class: 'danger', 'data-confirm-delete': s.name, onclick: () => remove(s.name) }, 'Delete'),
      h('button', { type: 'button', 'data-cancel-delete': s.name, onclick: offer }, 'Cancel'));
    offer();
    return h('tr', { 'data-secret': s.name },
      h('td', { class: 'mono' }, s.name),
      h('td', { 'data-created': s.createdAt }, time(s.createdAt)),
      h('td', { 'data-updated': s.updatedAt }, time(s.updatedAt)), actions);
  }

  async function remove(secret) {
    try {
      await call('DELETE', path(secret));
      replace(status, message('ok', `Deleted ${secret}.`));
    } catch (e) {
      replace(status, message('error', `${e.code ?? ''} ${e.message}`));
    }
    load();
  }

  const form = h('form', {
    class: 'panel',
    id: 'secret-form',
    onsubmit: async (event) => {
      event.preventDefault();
      const secret = name.value.trim();
      const { value: sent, kind } = valueOf(value.value);
      try {
        const answer = await call('PUT', path(secret), { json: { value: sent } });
        value.value = '';
        replace(status, message('ok', answer.status === 201 ? `Added ${answer.body.name} (${kind}).`
          : `Replaced the value of ${answer.body.name} (${kind}).`));
        load();
      } catch (e) {
        replace(status, message('error', `${e.code ?? ''} ${e.message}`));
      }
    },
  },
  h('h2', {}, 'Add a secret, or replace its value'),
  h('label', {}, 'Name (letters, digits, ".", "_" and "-", starting with a letter or a digit)', name),
  h('label', {}, 'Value (JSON is sent as JSON, any other text as a string; it is never shown again)', value),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'save-secret' }, 'Save')));

  replace(main, h('h1', {}, 'Secrets'),
    h('p', { class: 'muted' }, 'Values are write-only: they are encrypted at rest, and neither the API nor the console ever shows one.'),
    status, h('table', {}, h('thead', {}, h('tr', {},
      ['Secret', 'Created', 'Updated', ''].map((c) => h('th', {}, c)))), table), form);
  load();
}
