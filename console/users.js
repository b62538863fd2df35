// The users: totals, a search with filters, and pages by cursor ("Load more": one request a
// page, never one a row), and the form that creates or invites a user.
import { html, useState, useEffect } from './preact.js';
import { call, query } from './api.js';
import { Notice, useAction, useLoad, yesNo } from './ui.js';

const PAGE = 50;

function Totals() {
  const { data, error } = useLoad(async () => (await call('GET', '/users/stats')).data, []);
  if (error) return html`<${Notice} error=${error} />`;
  if (!data) return null;
  return html`
    <dl class="totals" aria-label="Totals">
      <div><dt>Users</dt><dd>${data.total}</dd></div>
      <div><dt>Active</dt><dd>${data.active}</dd></div>
      <div><dt>Admins</dt><dd>${data.admins}</dd></div>
    </dl>`;
}

function Filters({ onSearch }) {
  const submit = (e) => {
    e.preventDefault();
    const f = e.currentTarget;
    onSearch({ q: f.q.value.trim(), role: f.role.value, is_active: f.is_active.value,
               email_verified: f.email_verified.value });
  };
  return html`
    <form class="filters" role="search" onSubmit=${submit}>
      <div><label for="q">Email contains</label>
        <input id="q" name="q" type="search" minlength="3" placeholder="3 characters or more" /></div>
      <div><label for="role">Role</label>
        <select id="role" name="role"><option value="">Any</option><option value="user">user</option>
          <option value="admin">admin</option></select></div>
      <div><label for="is_active">Status</label>
        <select id="is_active" name="is_active"><option value="">Any</option>
          <option value="true">active</option><option value="false">inactive</option></select></div>
      <div><label for="email_verified">Email</label>
        <select id="email_verified" name="email_verified"><option value="">Any</option>
          <option value="true">verified</option><option value="false">not verified</option></select></div>
      <button type="submit">Search</button>
    </form>`;
}

function UserRows({ users }) {
  return html`
    <table class="users">
      <caption class="visually-hidden">Users</caption>
      <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Active</th>
        <th scope="col">Verified</th><th scope="col">MFA</th></tr></thead>
      <tbody>${users.map((u) => html`
        <tr key=${u.id}>
          <td data-label="Email"><a href="#/users/${u.id}">${u.email}</a></td>
          <td data-label="Role">${u.role}</td>
          <td data-label="Active">${yesNo(u.is_active)}</td>
          <td data-label="Verified">${yesNo(u.email_verified)}</td>
          <td data-label="MFA">${u.mfa_enabled ? 'on' : 'off'}</td>
        </tr>`)}</tbody>
    </table>`;
}

// The pages of `filters`, from the first again whenever they or `round` change.
function useUserPages(filters, round) {
  const [state, setState] = useState({ users: [], next: null, error: null, loading: true });
  const fetchPage = async (cursor, before) => {
    setState({ ...before, loading: true, error: null });
    try {
      const { data, headers } = await call('GET', `/users/${query({ ...filters, limit: PAGE, cursor })}`);
      setState({ users: before.users.concat(data), next: headers.get('X-Next-Cursor'), error: null, loading: false });
    } catch (error) {
      setState({ ...before, error, loading: false });
    }
  };
  useEffect(() => { fetchPage(null, { users: [], next: null }); }, [JSON.stringify(filters), round]);
  return { ...state, more: () => fetchPage(state.next, state) };
}

function CreateUser({ onCreated }) {
  const action = useAction();
  const submit = async (e) => {
    e.preventDefault();
    const f = e.currentTarget;
    const body = { email: f.new_email.value.trim(), role: f.new_role.value };
    if (f.new_password.value) body.password = f.new_password.value;
    const created = await action.run(async () => (await call('POST', '/users', body)).data,
      (u) => (body.password ? `Created ${u.email}.` : `Invited ${u.email}: the invitation is on its way.`));
    if (created) {
      f.reset();
      onCreated();
    }
  };
  return html`
    <section aria-labelledby="create-heading">
      <h2 id="create-heading">Create or invite a user</h2>
      <form onSubmit=${submit}>
        <label for="new_email">New user's email</label>
        <input id="new_email" name="new_email" type="email" required />
        <label for="new_role">New user's role</label>
        <select id="new_role" name="new_role"><option value="user">user</option><option value="admin">admin</option></select>
        <label for="new_password">Password (leave empty to send an invitation)</label>
        <input id="new_password" name="new_password" type="password" autocomplete="new-password" />
        <button type="submit" disabled=${action.busy}>Create user</button>
      </form>
      <${Notice} error=${action.error} message=${action.message} />
    </section>`;
}

export function UsersView() {
  const [filters, setFilters] = useState({});
  const [round, setRound] = useState(0);
  const pages = useUserPages(filters, round);
  return html`
    <h1>Users</h1>
    <${Totals} key=${round} />
    <${Filters} onSearch=${setFilters} />
    <${Notice} error=${pages.error} />
    <p class="count" role="status">${pages.loading ? 'Loading…' : `${pages.users.length} shown`}</p>
    <${UserRows} users=${pages.users} />
    ${pages.next ? html`<button type="button" onClick=${pages.more} disabled=${pages.loading}>Load more</button>` : null}
    <${CreateUser} onCreated=${() => setRound(round + 1)} />`;
}
