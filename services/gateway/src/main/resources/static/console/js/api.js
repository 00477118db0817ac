// The Runstream API, as the console calls it: same origin as the console (the gateway), the API key from this tab's
// session storage on every call, and the canonical error body ({code, title, message}) turned into an ApiError.

const KEY_ITEM = 'runstream.console.apiKey';

export const session = {
  key: () => sessionStorage.getItem(KEY_ITEM),
  signIn: (key) => sessionStorage.setItem(KEY_ITEM, key),
  signOut: () => sessionStorage.removeItem(KEY_ITEM),
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function headers(extra = {}) {
  return { 'X-API-Key': session.key() ?? '', Accept: 'application/json', ...extra };
}

async function failure(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    return new ApiError(response.status, body.code ?? String(response.status), body.message ?? text);
  } catch {
    return new ApiError(response.status, String(response.status), text || response.statusText);
  }
}

/** Calls the API; resolves to {status, body} for a 2xx answer and rejects with an ApiError otherwise. */
export async function call(method, path, { json, text, contentType, extraHeaders } = {}) {
  const init = { method, headers: headers(extraHeaders) };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['Content-Type'] = 'application/json';
  } else if (text !== undefined) {
    init.body = text;
    init.headers['Content-Type'] = contentType;
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    throw await failure(response);
  }
  const body = await response.text();
  return { status: response.status, body: body ? JSON.parse(body) : null };
}

export const get = (path) => call('GET', path).then((r) => r.body);

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(name, value);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Follows a Server-Sent Events stream with the API key in a header (EventSource cannot send one). Calls onEvent with
 * {event, id, data} for each event; resolves when the server ends the stream, rejects on a failure, and stops when
 * the signal aborts.
 */
export async function follow(path, onEvent, signal) {
  const response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal });
  if (!response.ok) {
    throw await failure(response);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { event: 'message', id: null, data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r?\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer[newline] === '\r' ? 2 : 1));
      if (line === '') {
        if (event.data.length) {
          onEvent({ event: event.event, id: event.id, data: event.data.join('\n') });
        }
        event = { event: 'message', id: null, data: [] };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const content = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') event.data.push(content);
        else if (field === 'event') event.event = content;
        else if (field === 'id') event.id = content;
      }
    }
  }
}

/** A random UUID, also where crypto.randomUUID is missing (a console served over plain HTTP to another host). */
export function uuid() {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
