// The admin console (GET /admin): a sign-in, then users, the audit log and the signing keys,
// each a view of documented API calls. The route is the URL's fragment (#/users/<id>), so a
// reload or a shared link never sends anything to the server but the page itself.
import { html, render, useState, useEffect } from './preact.js';
import { isSignedIn, onSignedOut, signOut } from './api.js';
import { SignIn } from './signin.js';
import { UsersView } from './users.js';
import { UserView } from './user.js';
import { AuditView } from './audit.js';
import { KeysView } from './keys.js';

const IDLE_LIMIT_MS = 15 * 60 * 1000;

function currentRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  return { view: parts[0] || 'users', id: parts[1] ? decodeURIComponent(parts[1]) : null };
}

function useRoute() {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const changed = () => setRoute(currentRoute());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

// Signs out after 15 minutes without a key or a click: a console left open is not left
// signed in.
function useIdleSignOut(active, onIdle) {
  useEffect(() => {
    if (!active) return undefined;
    let last = Date.now();
    const touch = () => { last = Date.now(); };
    const events = ['keydown', 'pointerdown', 'wheel'];
    events.forEach((e) => addEventListener(e, touch, { passive: true }));
    const timer = setInterval(() => {
      if (Date.now() - last > IDLE_LIMIT_MS) onIdle();
    }, 15000);
    return () => {
      clearInterval(timer);
      events.forEach((e) => removeEventListener(e, touch));
    };
  }, [active]);
}

function Nav({ route, me, onSignOut }) {
  const link = (view, label) => html`
    <a href="#/${view}" aria-current=${route.view === view ? 'page' : undefined}>${label}</a>`;
  return html`
    <header class="top">
      <span class="brand">gatehouse admin</span>
      <nav aria-label="Sections">
        ${link('users', 'Users')} ${link('audit', 'Audit log')} ${link('keys', 'Signing keys')}
      </nav>
      <span class="me">${me ? me.email : ''}</span>
      <button type="button" onClick=${onSignOut}>Sign out</button>
    </header>`;
}

function Console({ me, onSignOut }) {
  const route = useRoute();
  let view;
  if (route.view === 'users' && route.id) view = html`<${UserView} id=${route.id} me=${me} />`;
  else if (route.view === 'audit') view = html`<${AuditView} />`;
  else if (route.view === 'keys') view = html`<${KeysView} />`;
  else view = html`<${UsersView} />`;
  return html`
    <${Nav} route=${route} me=${me} onSignOut=${onSignOut} />
    <main id="main">${view}</main>`;
}

function App() {
  const [me, setMe] = useState(null);
  const [farewell, setFarewell] = useState(null);
  useEffect(() => onSignedOut(() => setMe(null)), []);
  const leave = (why) => {
    setFarewell(why);
    signOut();
  };
  useIdleSignOut(me !== null, () => leave('Signed out after 15 idle minutes.'));
  if (!me || !isSignedIn()) {
    return html`<${SignIn} farewell=${farewell} onSignedIn=${(user) => { setFarewell(null); setMe(user); }} />`;
  }
  return html`<${Console} me=${me} onSignOut=${() => leave('Signed out.')} />`;
}

const root = document.getElementById('app');
root.textContent = ''; // the "Loading" line the page shows until this module runs
render(html`<${App} />`, root);
