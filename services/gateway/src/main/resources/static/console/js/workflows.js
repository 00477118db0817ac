// The workflow catalog: a page of workflows; one workflow with its schedule, its versions and their definitions,
// activation, and a form that starts an execution with JSON input.

import { call, get, query, uuid } from './api.js';
import { h, message, pretty, replace, time } from './dom.js';

/** A schedule as its definition says it, such as "every PT1H" or "cron CRON_TZ=Europe/Paris 0 9 * * 1-5". */
const scheduleText = (s) => `${s.kind} ${s.expression}`;

/** When a workflow's schedule fires next: the time the API gives, or why it gives none. */
function nextFire(w) {
  const s = w.schedule;
  if (!w.active) return 'deactivated';
  if (s.nextFireAt) return time(s.nextFireAt);
  if (s.kind === 'after') return `${s.expression} after the previous run ends`;
  if (s.kind === 'on') return 'when its events arrive';
  return 'never (no date matches)';
}

function scheduleCell(w) {
  if (!w.schedule) return h('td', { class: 'muted' }, '—');
  return h('td', { 'data-schedule': w.schedule.kind }, h('span', { class: 'mono' }, scheduleText(w.schedule)),
    h('div', { class: 'muted', 'data-next-fire': w.schedule.nextFireAt }, `next: ${nextFire(w)}`));
}

export function workflowsView(main) {
  const cursors = [null];
  const table = h('tbody', { id: 'workflows' });
  const status = h('div');
  const previous = h('button', { type: 'button', id: 'workflows-previous', disabled: true }, 'Previous');
  const next = h('button', { type: 'button', id: 'workflows-next', disabled: true }, 'Next');
  let nextCursor = null;

  async function load() {
    try {
      const page = await get(`/v1/workflows${query({ limit: 20, cursor: cursors[cursors.length - 1] })}`);
      replace(table, page.items.length ? page.items.map((w) => h('tr', { 'data-workflow': w.workflowId },
        h('td', {}, h('a', { href: `#/workflows/${encodeURIComponent(w.workflowId)}` }, w.workflowId)),
        h('td', {}, w.version), h('td', {}, w.active ? 'active' : 'inactive'), scheduleCell(w), h('td', {}, w.format),
        h('td', {}, time(w.updatedAt))))
        : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No workflows yet. Define one with PUT /v1/workflows/{id}.')));
      nextCursor = page.nextCursor;
      next.disabled = !page.hasMore;
      previous.disabled = cursors.length === 1;
    } catch (e) {
      replace(status, message('error', `${e.code ?? ''} ${e.message}`));
    }
  }
  next.addEventListener('click', () => { cursors.push(nextCursor); load(); });
  previous.addEventListener('click', () => { cursors.pop(); load(); });

  replace(main, h('h1', {}, 'Workflows'), status, h('table', {}, h('thead', {}, h('tr', {},
    ['Workflow', 'Latest version', 'State', 'Schedule', 'Format', 'Updated'].map((c) => h('th', {}, c)))), table),
  h('div', { class: 'pager' }, previous, next));
  load();
}

export function workflowView(main, workflowId) {
  const path = `/v1/workflows/${encodeURIComponent(workflowId)}`;
  const facts = h('div', { class: 'panel', id: 'workflow' });
  const activation = h('div', { class: 'actions' });
  const versions = h('tbody', { id: 'versions' });
  const definition = h('div', { id: 'definition' });
  const shown = h('span', { class: 'muted' });
  const status = h('div');

  const input = h('textarea', { id: 'start-input', spellcheck: 'false' }, '{}');
  const key = h('input', { id: 'start-key', value: uuid(), size: 40 });
  const started = h('div', { id: 'start-outcome' });
  const form = h('form', {
    class: 'panel',
    id: 'start-form',
    onsubmit: async (event) => {
      event.preventDefault();
      let inputData;
      try {
        inputData = JSON.parse(input.value);
      } catch (e) {
        replace(started, message('error', `The input is not JSON: ${e.message}`));
        return;
      }
      if (inputData === null || typeof inputData !== 'object' || Array.isArray(inputData)) {
        replace(started, message('error', 'The input must be a JSON object, such as {"x": 1}.'));
        return;
      }
      try {
        const answer = await call('POST', `${path}/executions`, { json: { inputData },
          extraHeaders: { 'Idempotency-Key': key.value } });
        const id = answer.body.executionId;
        replace(started, message('ok', h('span', {}, answer.status === 201 ? 'Started ' : 'Already started with this key: ',
          h('a', { href: `#/executions/${id}`, id: 'started-execution', class: 'mono' }, id))));
        key.value = uuid();
      } catch (e) {
        replace(started, message('error', `${e.code ?? ''} ${e.message}`));
      }
    },
  },
  h('h2', {}, 'Start an execution'),
  h('label', {}, 'Input (a JSON object)', input),
  h('label', {}, 'Idempotency key (the same key and input start it once)', key),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'start' }, 'Start')), started);

  async function showVersion(version) {
    try {
      const v = await get(`${path}/versions/${version}`);
      replace(shown, `version ${v.version}, ${v.format}, stored ${time(v.createdAt)}`);
      replace(definition, pretty(v.definition));
    } catch (e) {
      replace(definition, message('error', e.message));
    }
  }

  async function load() {
    let w;
    try {
      w = await get(path);
    } catch (e) {
      replace(main, h('h1', {}, 'Workflow not found'), message('error', e.status === 404
        ? `No workflow ${workflowId} is visible to this API key.` : e.message), h('a', { href: '#/workflows' }, 'All workflows'));
      return;
    }
    replace(facts, h('dl', { class: 'facts' },
      h('dt', {}, 'Latest version'), h('dd', {}, w.version),
      h('dt', {}, 'State'), h('dd', { id: 'workflow-state' }, w.active ? 'active' : 'inactive (new executions are refused)'),
      w.schedule ? [h('dt', {}, 'Schedule'), h('dd', { id: 'workflow-schedule', class: 'mono' }, scheduleText(w.schedule)),
        h('dt', {}, 'Next fire'), h('dd', { id: 'workflow-next-fire', 'data-at': w.schedule.nextFireAt }, nextFire(w))]
        : null,
      h('dt', {}, 'Updated'), h('dd', {}, time(w.updatedAt)),
      h('dt', {}, 'Executions'), h('dd', {}, h('a', { href: `#/executions?workflowId=${encodeURIComponent(w.workflowId)}` }, 'list'))));
    replace(activation, h('button', {
      type: 'button',
      id: w.active ? 'deactivate' : 'activate',
      onclick: async () => {
        try {
          await call('POST', `${path}/${w.active ? 'deactivate' : 'activate'}`);
          load();
        } catch (e) {
          replace(status, message('error', e.message));
        }
      },
    }, w.active ? 'Deactivate' : 'Activate'));
    const page = await get(`${path}/versions?limit=100`);
    replace(versions, page.items.map((v) => h('tr', {},
      h('td', {}, h('button', { type: 'button', class: 'link', 'data-version': v.version,
        onclick: () => showVersion(v.version) }, `v${v.version}`)),
      h('td', {}, v.format), h('td', {}, time(v.createdAt)))));
    replace(shown, `version ${w.version} (latest), ${w.format}`);
    replace(definition, pretty(w.definition));
  }

  replace(main, h('h1', {}, 'Workflow ', h('span', { class: 'mono' }, workflowId)), facts, activation, status, form,
    h('div', { class: 'grid2' },
      h('div', {}, h('h2', {}, 'Versions'), h('table', {}, h('thead', {}, h('tr', {},
        ['Version', 'Format', 'Stored'].map((c) => h('th', {}, c)))), versions)),
      h('div', {}, h('h2', {}, 'Definition ', shown), definition)));
  load();
}
