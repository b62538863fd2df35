// The console's one way to gatehouse: the public API, the same calls curl can make. The
// tokens live in this module's memory only (no cookie, no storage): closing the tab signs
// out, and no other page can ride on them or read them back.
let tokens = null; // {access, refresh}
let signedOutHandler = () => {};

export class ApiError extends Error {
  constructor(status, code, detail, body) {
    super(detail);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

export function onSignedOut(handler) {
  signedOutHandler = handler;
}

export function isSignedIn() {
  return tokens !== null;
}

async function send(method, path, body, withToken) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (withToken && tokens) headers.Authorization = `Bearer ${tokens.access}`;
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (_) {
    data = null;
  }
  if (!res.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(res.status, error.code || `HTTP_${res.status}`,
      error.detail || `The server answered ${res.status}`, data);
  }
  return { data, headers: res.headers };
}

function keep(pair) {
  tokens = { access: pair.access_token, refresh: pair.refresh_token };
}

// Calls made at once that all find the access token expired share one refresh.
let refreshing = null;
function refresh() {
  if (!refreshing) {
    refreshing = send('POST', '/auth/refresh', { refresh_token: tokens.refresh }, false)
      .then(({ data }) => keep(data))
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

// An authenticated call; an expired access token is refreshed once through /auth/refresh.
export async function call(method, path, body) {
  try {
    return await send(method, path, body, true);
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'INVALID_TOKEN' || !tokens) throw e;
    try {
      await refresh();
    } catch (_) {
      forget();
      throw e;
    }
    return send(method, path, body, true);
  }
}

// Password first; for a user with a second factor the answer is the login's mfa_token.
export async function signIn(email, password) {
  try {
    keep((await send('POST', '/auth/login', { email, password }, false)).data);
    return null;
  } catch (e) {
    if (e instanceof ApiError && e.code === 'MFA_REQUIRED') return e.body.error.mfa_token;
    throw e;
  }
}

// The second step: a code from the authenticator app, or a recovery code.
export async function verify(mfaToken, answer) {
  keep((await send('POST', '/auth/mfa/verify', { mfa_token: mfaToken, ...answer }, false)).data);
}

export function adopt(pair) {
  keep(pair);
}

function forget() {
  const had = tokens !== null;
  tokens = null;
  if (had) signedOutHandler();
}

export async function signOut() {
  const held = tokens;
  forget();
  if (held) {
    try {
      await send('POST', '/auth/logout', { refresh_token: held.refresh }, false);
    } catch (_) {
      // The session may have ended already; the tokens are gone from here either way.
    }
  }
}

// A query string from the fields that have a value.
export function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') q.set(name, value);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}
