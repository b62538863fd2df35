// The audit log, newest first, with the API's filters, a page at a time by cursor.
import { html, useState, useEffect } from './preact.js';
import { call, query } from './api.js';
import { Notice, when } from './ui.js';

function Filters({ onSearch }) {
  const submit = (e) => {
    e.preventDefault();
    const f = e.currentTarget;
    onSearch({ type: f.type.value.trim(), outcome: f.outcome.value, user_id: f.user_id.value.trim(),
               ip: f.ip.value.trim() });
  };
  return html`
    <form class="filters" role="search" onSubmit=${submit}>
      <div><label for="type">Types (comma-separated)</label>
        <input id="type" name="type" placeholder="auth.login, user.updated" /></div>
      <div><label for="outcome">Outcome</label>
        <select id="outcome" name="outcome"><option value="">Any</option>
          <option value="success">success</option><option value="failure">failure</option></select></div>
      <div><label for="user_id">User id</label><input id="user_id" name="user_id" /></div>
      <div><label for="ip">Address</label><input id="ip" name="ip" /></div>
      <button type="submit">Filter</button>
    </form>`;
}

export function AuditView() {
  const [filters, setFilters] = useState({});
  const [state, setState] = useState({ items: [], next: null, error: null, loading: true });
  const fetchPage = async (cursor, before) => {
    setState({ ...before, loading: true, error: null });
    try {
      const { data } = await call('GET', `/admin/audit-events${query({ ...filters, limit: 50, cursor })}`);
      setState({ items: before.items.concat(data.items), next: data.next_cursor, error: null, loading: false });
    } catch (error) {
      setState({ ...before, error, loading: false });
    }
  };
  useEffect(() => { fetchPage(null, { items: [], next: null }); }, [JSON.stringify(filters)]);
  return html`
    <h1>Audit log</h1>
    <${Filters} onSearch=${setFilters} />
    <${Notice} error=${state.error} />
    <table class="events">
      <caption class="visually-hidden">Audit events, newest first</caption>
      <thead><tr><th scope="col">When</th><th scope="col">Type</th><th scope="col">Outcome</th>
        <th scope="col">Subject</th><th scope="col">Actor</th><th scope="col">Address</th><th scope="col">Reason</th></tr></thead>
      <tbody>${state.items.map((e) => html`
        <tr key=${e.id}>
          <td data-label="When">${when(e.occurred_at)}</td>
          <td data-label="Type">${e.type}</td>
          <td data-label="Outcome">${e.outcome}</td>
          <td data-label="Subject">${e.subject_user_id ? html`<a href="#/users/${e.subject_user_id}">${e.subject_user_id}</a>` : '—'}</td>
          <td data-label="Actor">${e.actor_id || '—'}</td>
          <td data-label="Address">${e.ip || '—'}</td>
          <td data-label="Reason">${e.reason || '—'}</td>
        </tr>`)}</tbody>
    </table>
    ${state.next ? html`<button type="button" onClick=${() => fetchPage(state.next, state)} disabled=${state.loading}>Load more</button>` : null}`;
}
