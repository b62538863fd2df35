// One user: profile and its edit, sessions (end one, end all), MFA state and reset, the
// mails an admin can send, recent activity from the audit log, and deletion behind a typed
// confirmation.
import { html, useState } from './preact.js';
import { call, query } from './api.js';
import { Notice, useAction, useLoad, when, yesNo } from './ui.js';

function Profile({ user, onSaved }) {
  const action = useAction();
  const submit = async (e) => {
    e.preventDefault();
    const f = e.currentTarget;
    const changes = {};
    if (f.email.value.trim() !== user.email) changes.email = f.email.value.trim();
    if (f.role.value !== user.role) changes.role = f.role.value;
    if (f.is_active.checked !== user.is_active) changes.is_active = f.is_active.checked;
    const saved = await action.run(async () => (await call('PATCH', `/users/${user.id}`, changes)).data,
      'Saved.');
    if (saved) onSaved(saved);
  };
  return html`
    <section aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <dl class="facts">
        <div><dt>Id</dt><dd><code>${user.id}</code></dd></div>
        <div><dt>Email verified</dt><dd>${yesNo(user.email_verified)}</dd></div>
        <div><dt>Created</dt><dd>${when(user.created_at)}</dd></div>
        <div><dt>Last login</dt><dd>${when(user.last_login_at)}</dd></div>
      </dl>
      <form onSubmit=${submit} key=${user.updated_at}>
        <label for="email">Email</label>
        <input id="email" name="email" type="email" value=${user.email} required />
        <label for="role">Role</label>
        <select id="role" name="role" value=${user.role}>
          <option value="user">user</option><option value="admin">admin</option></select>
        <label class="check"><input id="is_active" name="is_active" type="checkbox" checked=${user.is_active} /> Active</label>
        <button type="submit" disabled=${action.busy}>Save changes</button>
      </form>
      <${Notice} error=${action.error} message=${action.message} />
    </section>`;
}

function Sessions({ user }) {
  const { data, error, reload } = useLoad(async () => (await call('GET', `/users/${user.id}/sessions`)).data, [user.id]);
  const action = useAction();
  const end = (request, done) => action.run(async () => { await request(); await reload(); }, done);
  return html`
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      <${Notice} error=${error || action.error} message=${action.message} />
      ${data && data.length === 0 ? html`<p>No open session.</p>` : null}
      ${data && data.length > 0 ? html`
        <ul class="rows">${data.map((s) => html`
          <li key=${s.id}>
            <span>${when(s.last_used_at)} · ${s.ip || 'address unknown'} · ${s.user_agent || 'no user agent'}</span>
            <button type="button" aria-label=${`End session from ${s.ip || 'unknown address'}, last used ${when(s.last_used_at)}`}
                    onClick=${() => end(() => call('DELETE', `/users/${user.id}/sessions/${s.id}`), 'Session ended.')}>End</button>
          </li>`)}</ul>
        <button type="button" onClick=${() => end(() => call('DELETE', `/users/${user.id}/sessions`), 'Every session ended.')}>End all sessions</button>` : null}
    </section>`;
}

function SecondFactor({ user, onChanged }) {
  const action = useAction();
  const reset = async () => {
    if (await action.run(async () => { await call('DELETE', `/users/${user.id}/mfa`); return true; },
      'MFA reset: the factor and recovery codes are gone and every session ended.')) onChanged();
  };
  return html`
    <section aria-labelledby="mfa-heading">
      <h2 id="mfa-heading">Second factor</h2>
      <p>TOTP is ${user.mfa_enabled ? 'on' : 'off'}.</p>
      ${user.mfa_enabled ? html`<button type="button" onClick=${reset}>Reset MFA</button>` : null}
      <${Notice} error=${action.error} message=${action.message} />
    </section>`;
}

function Mails({ user }) {
  const action = useAction();
  return html`
    <section aria-labelledby="mail-heading">
      <h2 id="mail-heading">Mail</h2>
      <button type="button" onClick=${() => action.run(() => call('POST', `/users/${user.id}/password-reset-email`), 'A password reset mail is on its way.')}>Send a password reset mail</button>
      <button type="button" onClick=${() => action.run(() => call('POST', `/users/${user.id}/verification-email`), 'A verification mail is on its way.')}>Send a verification mail</button>
      <${Notice} error=${action.error} message=${action.message} />
    </section>`;
}

function Activity({ user }) {
  const { data, error } = useLoad(async () =>
    (await call('GET', `/admin/audit-events${query({ user_id: user.id, limit: 20 })}`)).data, [user.id, user.updated_at]);
  return html`
    <section aria-labelledby="activity-heading">
      <h2 id="activity-heading">Recent activity</h2>
      <${Notice} error=${error} />
      ${data ? html`<ul class="rows">${data.items.map((e) => html`
        <li key=${e.id}><span>${when(e.occurred_at)} · ${e.type} · ${e.outcome}${e.reason ? ` (${e.reason})` : ''}${e.ip ? ` · ${e.ip}` : ''}</span></li>`)}
      </ul>` : null}
    </section>`;
}

function Delete({ user }) {
  const [typed, setTyped] = useState('');
  const action = useAction();
  const remove = async (e) => {
    e.preventDefault();
    if (await action.run(async () => { await call('DELETE', `/users/${user.id}`); return true; }, 'Deleted.')) {
      location.hash = '#/users';
    }
  };
  return html`
    <section aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete</h2>
      <form onSubmit=${remove}>
        <label for="confirm">Type the user's email to confirm</label>
        <input id="confirm" name="confirm" autocomplete="off" value=${typed} onInput=${(e) => setTyped(e.currentTarget.value)} />
        <button type="submit" class="danger" disabled=${typed !== user.email || action.busy}>Delete user</button>
      </form>
      <${Notice} error=${action.error} message=${action.message} />
    </section>`;
}

export function UserView({ id }) {
  const [round, setRound] = useState(0);
  const { data: user, error } = useLoad(async () => (await call('GET', `/users/${encodeURIComponent(id)}`)).data, [id, round]);
  const again = () => setRound(round + 1);
  if (error) return html`<h1>User</h1><${Notice} error=${error} />`;
  if (!user) return html`<p role="status">Loading…</p>`;
  return html`
    <p><a href="#/users">Back to users</a></p>
    <h1>${user.email}</h1>
    <p class="subtitle">${user.role} · ${user.is_active ? 'active' : 'inactive'}</p>
    <${Profile} user=${user} onSaved=${again} />
    <${Sessions} user=${user} key=${`s${round}`} />
    <${SecondFactor} user=${user} onChanged=${again} />
    <${Mails} user=${user} />
    <${Activity} user=${user} />
    <${Delete} user=${user} />`;
}
