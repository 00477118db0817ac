// The executions list: filters in the URL, keyset pages, and the page on screen asked for again every two seconds.

import { get, query } from './api.js';
import { badge, duration, h, message, replace, time } from './dom.js';

const STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
const FIELDS = ['workflowId', 'status', 'phase', 'startedFrom', 'startedTo', 'sourceSystem', 'externalRef',
  'sourceEntityId', 'parentExecutionId'];
const REFRESH_MS = 2000;

/** datetime-local value (local time) to RFC 3339, and back. */
const toInstant = (local) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

export function executionsView(main, params) {
  const filters = Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? '']));
  const cursors = [null];
  const table = h('tbody', { id: 'executions' });
  const status = h('div');
  const live = h('span', { class: 'live', id: 'live' }, 'live');
  const previous = h('button', { type: 'button', id: 'previous-page', disabled: true }, 'Previous');
  const next = h('button', { type: 'button', id: 'next-page', disabled: true }, 'Next');
  let nextCursor = null;
  let timer = null;
  let stopped = false;

  const input = (name, label, attributes = {}) => h('label', {}, label,
    h('input', { name, value: attributes.type === 'datetime-local' ? toLocal(filters[name]) : filters[name], ...attributes }));
  const form = h('form', {
    class: 'filters panel',
    id: 'filters',
    onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const chosen = Object.fromEntries(FIELDS.map((f) => [f, data.get(f) ?? '']));
      chosen.startedFrom = toInstant(chosen.startedFrom);
      chosen.startedTo = toInstant(chosen.startedTo);
      location.hash = `#/executions${query(chosen)}`;
    },
  },
  input('workflowId', 'Workflow'),
  h('label', {}, 'Status', h('select', { name: 'status' }, h('option', { value: '' }, 'any'),
    STATUSES.map((s) => h('option', { value: s, selected: filters.status === s }, s)))),
  h('label', {}, 'Phase', h('select', { name: 'phase' }, h('option', { value: '' }, 'any'),
    ['WAITING', 'SUSPENDED', 'NONE'].map((p) => h('option', { value: p, selected: filters.phase === p }, p)))),
  input('startedFrom', 'Started from', { type: 'datetime-local' }),
  input('startedTo', 'Started before', { type: 'datetime-local' }),
  input('sourceSystem', 'Source system'),
  input('externalRef', 'External ref'),
  input('sourceEntityId', 'Source entity'),
  input('parentExecutionId', 'Started by (execution)'),
  h('button', { type: 'submit', class: 'primary' }, 'Apply'),
  h('a', { href: '#/executions' }, 'Clear'));

  async function load() {
    clearTimeout(timer);
    try {
      const page = await get(`/v1/executions${query({ ...filters, limit: 20, cursor: cursors[cursors.length - 1] })}`);
      if (stopped) return;
      replace(table, page.items.length ? page.items.map(row)
        : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No executions match.')));
      nextCursor = page.nextCursor;
      next.disabled = !page.hasMore;
      previous.disabled = cursors.length === 1;
      replace(status);
      live.textContent = `live · ${new Date().toLocaleTimeString(undefined, { hour12: false })}`;
    } catch (e) {
      if (stopped) return;
      replace(status, message('error', `${e.code ?? ''} ${e.message}`));
    }
    if (!stopped) timer = setTimeout(load, REFRESH_MS);
  }

  next.addEventListener('click', () => { cursors.push(nextCursor); load(); });
  previous.addEventListener('click', () => { cursors.pop(); load(); });

  replace(main, h('h1', {}, 'Executions'), form, status,
    h('table', {}, h('thead', {}, h('tr', {}, ['Execution', 'Workflow', 'Status', 'Started', 'Duration', 'Attempt',
      'Redrives'].map((c) => h('th', {}, c)))), table),
    h('div', { class: 'pager' }, previous, next, h('span', { class: 'spacer' }), live));
  load();
  return () => { stopped = true; clearTimeout(timer); };
}

function row(e) {
  return h('tr', { 'data-execution': e.executionId },
    h('td', {}, h('a', { class: 'mono', href: `#/executions/${e.executionId}` }, e.executionId)),
    h('td', {}, h('a', { href: `#/workflows/${encodeURIComponent(e.workflowId)}` }, e.workflowId)),
    h('td', {}, badge(e.status, e.phase)),
    h('td', {}, time(e.startedAt)),
    h('td', {}, duration(e.durationMs)),
    h('td', {}, e.attempt),
    h('td', {}, e.redriveCount ?? 0));
}
