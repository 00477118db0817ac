// One execution: its facts (what it waits for while it listens, the execution that started it as a subflow), input,
// output and error; a timeline with a bar per task step; the subflows it started; the commands that apply to its
// state; all kept current by its event stream (followRedrives, so a redrive shows too).

import { ApiError, call, follow, get, query } from './api.js';
import { badge, duration, h, message, pretty, replace, time } from './dom.js';

// A FAILED or TIMED_OUT execution may still be redriven, so its stream (followRedrives) stays open.
const FINAL = ['SUCCEEDED', 'CANCELLED'];
const HISTORY_PAGES = 20;

/** Which commands apply to an execution in this state. */
function commandsFor(e) {
  const running = e.status === 'QUEUED' || e.status === 'RUNNING';
  const suspended = e.phase === 'SUSPENDED';
  return [
    ['stop', 'Stop', running, 'danger'],
    ['pause', 'Pause', e.status === 'RUNNING' && !suspended, ''],
    ['resume', 'Resume', suspended, 'primary'],
    ['redrive', 'Redrive', e.status === 'FAILED' || e.status === 'TIMED_OUT', 'primary'],
  ].filter(([, , applies]) => applies);
}

export function executionView(main, id) {
  const path = `/v1/executions/${encodeURIComponent(id)}`;
  const header = h('div', { class: 'panel', id: 'execution' });
  const actions = h('div', { class: 'actions', id: 'commands' });
  const outcome = h('div', { id: 'command-outcome' });
  const data = h('div', { class: 'grid2' });
  const timeline = h('div', { class: 'panel timeline', id: 'timeline' });
  const subflows = h('tbody', { id: 'subflows' });
  const statuses = h('tbody', { id: 'status-history' });
  const streamState = h('span', { class: 'live', id: 'stream-state' }, 'connecting');
  const abort = new AbortController();
  let historyQueued = null;

  replace(main, h('h1', {}, 'Execution ', h('span', { class: 'mono' }, id)), header, actions, outcome, data,
    h('h2', {}, 'Timeline'), timeline,
    h('h2', {}, 'Subflows'), h('table', {}, h('thead', {}, h('tr', {},
      ['Execution', 'Workflow', 'Status', 'Started', 'Finished'].map((c) => h('th', {}, c)))), subflows),
    h('h2', {}, 'Status changes'), h('table', {}, h('thead', {}, h('tr', {},
      ['At', 'Status', 'Attempt', 'Redrive', 'Error'].map((c) => h('th', {}, c)))), statuses),
    h('p', {}, streamState));

  function show(e) {
    replace(header, h('dl', { class: 'facts' },
      h('dt', {}, 'Status'), h('dd', { id: 'status' }, badge(e.status, e.phase)),
      e.waitingFor?.length ? [h('dt', {}, 'Waiting for'), h('dd', { id: 'waiting-for' }, waits(e.waitingFor))] : null,
      h('dt', {}, 'Workflow'), h('dd', {}, h('a', { href: `#/workflows/${encodeURIComponent(e.workflowId)}` }, e.workflowId)),
      e.parentExecutionId ? [h('dt', {}, 'Started by'), h('dd', {}, h('a', { class: 'mono', id: 'parent',
        href: `#/executions/${encodeURIComponent(e.parentExecutionId)}` }, e.parentExecutionId))] : null,
      h('dt', {}, 'Attempt'), h('dd', {}, e.attempt),
      h('dt', {}, 'Redrives'), h('dd', {}, e.redriveCount ?? 0),
      h('dt', {}, 'Started'), h('dd', {}, time(e.startedAt)),
      h('dt', {}, 'Finished'), h('dd', {}, time(e.finishedAt)),
      h('dt', {}, 'Duration'), h('dd', {}, duration(e.durationMs))));
    replace(actions, commandsFor(e).map(([command, label, , style]) => h('button', {
      type: 'button', class: style, 'data-command': command, onclick: () => send(command),
    }, label)));
    replace(data,
      h('div', { class: 'panel' }, h('h2', {}, 'Input'), h('div', { id: 'input' }, pretty(e.input))),
      h('div', { class: 'panel' }, h('h2', {}, e.error ? 'Error' : 'Output'),
        h('div', { id: e.error ? 'error' : 'output' }, e.error ? pretty(`${e.error.code}: ${e.error.message}`)
          : pretty(e.output))));
  }

  async function send(command) {
    for (const button of actions.querySelectorAll('button')) button.disabled = true;
    try {
      const answer = await call('POST', `${path}/${command}?waitSeconds=10`, { json: { reason: 'from the console' } });
      replace(outcome, message('ok', answer.body.outcome === 'ACCEPTED'
        ? `${command}: accepted` : `${command}: on the log, not yet decided`));
    } catch (e) {
      replace(outcome, message('error', `${command}: ${e.code ?? ''} ${e.message}`));
    }
    refresh();
  }

  async function history() {
    const entries = [];
    let cursor = null;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const answer = await get(`${path}/history${query({ limit: 100, cursor })}`);
      entries.push(...answer.items);
      if (!answer.hasMore) break;
      cursor = answer.nextCursor;
    }
    const tasks = entries.filter((entry) => entry.type === 'TASK');
    replace(statuses, entries.filter((entry) => entry.type === 'STATUS').map((entry) => h('tr', {},
      h('td', {}, time(entry.at)), h('td', {}, badge(entry.status, entry.phase)), h('td', {}, entry.attempt),
      h('td', {}, entry.redriveCount ?? 0), h('td', {}, entry.error ? `${entry.error.code}: ${entry.error.message}` : ''))));
    drawTimeline(timeline, tasks);
    await children();
  }

  /** The subflows its run: workflow tasks started, oldest first (the first 100). */
  async function children() {
    const page = await get(`/v1/executions${query({ parentExecutionId: id, order: 'asc', limit: 100 })}`);
    replace(subflows, page.items.length ? page.items.map((c) => h('tr', { 'data-child': c.executionId },
      h('td', {}, h('a', { class: 'mono', href: `#/executions/${encodeURIComponent(c.executionId)}` }, c.executionId)),
      h('td', {}, c.workflowId), h('td', {}, badge(c.status, c.phase)), h('td', {}, time(c.startedAt)),
      h('td', {}, time(c.finishedAt))))
      : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'It started no subflow.')));
  }

  function refresh() {
    // Events can come in bursts; one history read covers them.
    if (historyQueued) return;
    historyQueued = setTimeout(() => {
      historyQueued = null;
      history().catch((e) => replace(timeline, message('error', e.message)));
    }, 150);
  }

  async function start() {
    try {
      show(await get(path));
      refresh();
    } catch (e) {
      replace(main, h('h1', {}, 'Execution not found'), message('error', e instanceof ApiError && e.status === 404
        ? `No execution ${id} is visible to this API key.` : e.message), h('a', { href: '#/executions' }, 'All executions'));
      return;
    }
    for (;;) {
      try {
        streamState.textContent = 'live';
        await follow(`${path}/events?followRedrives=true`, (event) => {
          show(JSON.parse(event.data));
          refresh();
        }, abort.signal);
        const now = await get(path);
        show(now);
        refresh();
        if (FINAL.includes(now.status)) {
          streamState.textContent = 'final';
          return;
        }
      } catch (e) {
        if (abort.signal.aborted) return;
        streamState.textContent = `reconnecting (${e.message})`;
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (abort.signal.aborted) return;
    }
  }

  start();
  return () => { abort.abort(); clearTimeout(historyQueued); };
}

/** The listens a waiting execution waits on: "event order.paid where order = 7 (since ...)", one per line. */
function waits(listens) {
  return h('ul', { class: 'waits' }, listens.map((w) => {
    const where = Object.entries(w.correlations ?? {}).map(([name, value]) => `${name} = ${JSON.stringify(value)}`);
    return h('li', { 'data-listen': w.position, title: w.position },
      'event ', h('strong', {}, w.types?.length ? w.types.join(', ') : 'matching its filters'),
      where.length ? ` where ${where.join(' and ')}` : '', ` (since ${time(w.since)})`);
  }));
}

function drawTimeline(element, tasks) {
  if (!tasks.length) {
    replace(element, h('p', { class: 'muted' }, 'No task has ended yet; steps appear here as they end.'));
    return;
  }
  const start = Math.min(...tasks.map((t) => Date.parse(t.startedAt ?? t.at)));
  const end = Math.max(...tasks.map((t) => Date.parse(t.endedAt ?? t.at)));
  const span = Math.max(end - start, 1);
  replace(element, tasks.map((t) => {
    const from = Date.parse(t.startedAt ?? t.at);
    const to = Date.parse(t.endedAt ?? t.at);
    const failed = t.status === 'FAULTED';
    return h('div', { class: 'step', 'data-task': t.taskName, 'data-task-status': t.status },
      h('div', { class: 'name', title: t.position }, h('strong', {}, t.taskName), ' ', h('span', { class: 'muted' }, t.taskType)),
      h('div', { class: 'track' }, bar(`bar ${failed ? 'FAILED' : t.status}`, (from - start) / span, (to - from) / span,
        `${t.status}, ${duration(to - from)}`)),
      h('div', { class: `detail${failed ? ' error' : ''}` },
        `${t.status} · ${duration(to - from)} · ${t.taskAttempts ?? 1} attempt${(t.taskAttempts ?? 1) === 1 ? '' : 's'}`,
        t.redriveCount ? ` · redrive ${t.redriveCount}` : '',
        t.error ? ` · ${t.error.code}: ${t.error.message}` : '',
        t.childExecutionId ? [' · subflow ', h('a', { class: 'mono', 'data-subflow': t.childExecutionId,
          href: `#/executions/${encodeURIComponent(t.childExecutionId)}` }, t.childExecutionId)] : null),
      t.events?.length ? taskEvents(t.events) : null);
  }));
}

/** The events a task consumed or emitted: "consumed order.paid from https://payments.example (id pay-7)", one per line. */
function taskEvents(events) {
  return h('ul', { class: 'events' }, events.map((e) => h('li', { 'data-event': e.direction },
    e.direction === 'EMITTED' ? 'emitted ' : e.direction === 'CONSUMED' ? 'consumed ' : 'event ',
    h('strong', {}, e.type), ` from ${e.source} (id ${e.id})`)));
}

/** A bar from a fraction of the track to another; placed through the CSSOM, which the console's CSP allows. */
function bar(className, left, width, title) {
  const element = h('div', { class: className, title, 'data-left': left.toFixed(3), 'data-width': width.toFixed(3) });
  element.style.left = `${left * 100}%`;
  element.style.width = `${Math.max(width * 100, 0.4)}%`;
  return element;
}
