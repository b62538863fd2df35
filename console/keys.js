// The signing keys and their rotation. Each step is guarded by the API, and the guards are
// explained here before anyone meets them; a refusal is shown in the API's words.
import { html } from './preact.js';
import { call } from './api.js';
import { Notice, useAction, useLoad, when } from './ui.js';

function KeyActions({ k, act }) {
  const buttons = [];
  if (k.state === 'standby' || k.state === 'retired') {
    buttons.push(html`<button type="button" onClick=${() => act(() => call('POST', `/admin/keys/${k.kid}/activate`), `Key ${k.kid} signs from now on.`)}
      aria-label=${`Activate key ${k.kid}`}>Activate</button>`);
  }
  if (k.state === 'retired') {
    buttons.push(html`<button type="button" onClick=${() => act(() => call('POST', `/admin/keys/${k.kid}/revoke`), `Key ${k.kid} is revoked.`)}
      aria-label=${`Revoke key ${k.kid}`}>Revoke</button>`);
  }
  if (k.state === 'revoked') {
    buttons.push(html`<button type="button" class="danger" onClick=${() => act(() => call('DELETE', `/admin/keys/${k.kid}`), `Key ${k.kid} is deleted.`)}
      aria-label=${`Delete key ${k.kid}`}>Delete</button>`);
  }
  return buttons;
}

export function KeysView() {
  const { data, error, reload } = useLoad(async () => (await call('GET', '/admin/keys')).data, []);
  const action = useAction();
  // Every call is written out where it is made, so a test can read which routes the console uses.
  const act = (request, done) => action.run(async () => { await request(); await reload(); }, done);
  const create = (e) => {
    e.preventDefault();
    const alg = e.currentTarget.alg.value;
    action.run(async () => { await call('POST', '/admin/keys', { alg }); await reload(); }, `A new ${alg} key is published, on standby.`);
  };
  return html`
    <h1>Signing keys</h1>
    <p class="help">A rotation: create a key (it is published at once, on standby), wait until
      verifiers have fetched it (the server's KEY_PROPAGATION_SECONDS), then activate it; the
      key it replaces is retired and stays published until every token it signed has expired,
      after which it can be revoked, then deleted. The server refuses a step taken too early,
      and says why.</p>
    <${Notice} error=${error || action.error} message=${action.message} />
    ${data && data.length === 0 ? html`<p>No key: this server signs access tokens with HS256 (JWT_ALGORITHM).</p>` : null}
    <ul class="rows keys">${(data || []).map((k) => html`
      <li key=${k.kid}>
        <span><code>${k.kid}</code> · ${k.alg} · <strong>${k.state}</strong> · created ${when(k.created_at)}</span>
        <span class="actions"><${KeyActions} k=${k} act=${act} /></span>
      </li>`)}</ul>
    <form onSubmit=${create}>
      <label for="alg">Algorithm of a new key</label>
      <select id="alg" name="alg"><option value="EdDSA">EdDSA</option><option value="ES256">ES256</option></select>
      <button type="submit" disabled=${action.busy}>Create key</button>
    </form>`;
}
