// Every call the console makes: same origin, with the key the user signed in with, or the App Service session.

const KEY = 'postgate.apiKey';
const FUNCTIONS_KEY = 'postgate.functionsKey';
const SIGNED_OUT = 'postgate.signedOut';

/** A problem the API answered (RFC 9457), or a network failure. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The gate answered ${status}.`);
    this.status = status;
    this.problem = problem ?? null;
  }

  /** "from: must not be after to." lines from a validation problem. */
  get fieldErrors() {
    const errors = this.problem?.errors ?? {};
    return Object.entries(errors).flatMap(([field, messages]) => messages.map((m) => (field ? `${field}: ${m}` : m)));
  }
}

export const credentials = {
  get apiKey() { return sessionStorage.getItem(KEY) ?? ''; },
  get functionsKey() { return sessionStorage.getItem(FUNCTIONS_KEY) ?? ''; },
  get signedOut() { return sessionStorage.getItem(SIGNED_OUT) === '1'; },
  signIn(apiKey, functionsKey) {
    sessionStorage.removeItem(SIGNED_OUT);
    if (apiKey) sessionStorage.setItem(KEY, apiKey); else sessionStorage.removeItem(KEY);
    if (functionsKey) sessionStorage.setItem(FUNCTIONS_KEY, functionsKey); else sessionStorage.removeItem(FUNCTIONS_KEY);
  },
  signOut() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(FUNCTIONS_KEY);
    sessionStorage.setItem(SIGNED_OUT, '1');
  },
};

function headers(extra = {}) {
  const result = { ...extra };
  if (credentials.apiKey) result['X-Api-Key'] = credentials.apiKey;
  if (credentials.functionsKey) result['x-functions-key'] = credentials.functionsKey;
  return result;
}

/** /api/… with query parameters, leaving out empty ones. */
export function url(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, value);
  }
  const text = params.toString();
  return `/api/${path}${text ? `?${text}` : ''}`;
}

async function send(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { credentials: 'same-origin', cache: 'no-store', ...options, headers: headers(options.headers) });
  } catch {
    throw new ApiError(0, { title: 'The gate cannot be reached.', detail: 'Check the connection and try again.' });
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { problem = null; }
    throw new ApiError(response.status, problem);
  }
  return response;
}

export async function getJson(path, query) {
  return (await send(url(path, query), { headers: { Accept: 'application/json' } })).json();
}

export async function postJson(path, body) {
  const response = await send(url(path), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}

export async function getBlob(path, query, accept) {
  return (await send(url(path, query), { headers: { Accept: accept } })).blob();
}

/** An account id as one path segment. */
export function segment(value) {
  return encodeURIComponent(value);
}
