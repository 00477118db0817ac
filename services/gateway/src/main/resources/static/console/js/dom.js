// Building the page from data without innerHTML, so no workflow definition, input or error can inject markup.

/** An element: h('a', {href: '#/x', class: 'y', onclick: f}, 'text', child, [more children]). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

export const badge = (status, phase) => [h('span', { class: `badge ${status}`, 'data-status': status }, status),
  phase ? h('span', { class: 'badge phase', 'data-phase': phase }, phase) : null];

export const message = (kind, text) => h('div', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);

export function time(iso) {
  return iso ? new Date(iso).toLocaleString(undefined, { hour12: false }) : '—';
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const pretty = (value) => h('pre', {}, value === undefined || value === null ? '—'
  : typeof value === 'string' ? value : JSON.stringify(value, null, 2));
