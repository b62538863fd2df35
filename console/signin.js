// Sign-in: email and password, then a code when the account has a second factor. Only an
// admin gets further: for anyone else the console shows the API's own refusal and signs out.
// An admin whom the MFA policy obliges to have a factor enrols one here first.
import { html, useEffect, useRef, useState } from './preact.js';
import { ApiError, adopt, call, signIn, signOut, verify } from './api.js';
import { Notice } from './ui.js';

// The API decides who may use the console: an admin route answers, or says why not.
async function admitted() {
  const me = (await call('GET', '/users/me')).data;
  await call('GET', '/users/stats');
  return me;
}

function PasswordStep({ onPassed, busy, setBusy }) {
  const submit = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    setBusy({ busy: true });
    try {
      onPassed(await signIn(form.email.value, form.password.value));
    } catch (error) {
      setBusy({ busy: false, error });
    }
  };
  return html`
    <form onSubmit=${submit}>
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <button type="submit" disabled=${busy}>Sign in</button>
    </form>`;
}

function CodeStep({ mfaToken, onPassed, busy, setBusy }) {
  const [recovery, setRecovery] = useState(false);
  const input = useRef(null);
  // The step replaces the password form: the keyboard goes on where the eyes go.
  useEffect(() => input.current && input.current.focus(), [recovery]);
  const submit = async (e) => {
    e.preventDefault();
    const value = e.currentTarget.answer.value.trim();
    setBusy({ busy: true });
    try {
      await verify(mfaToken, recovery ? { recovery_code: value } : { code: value });
      onPassed();
    } catch (error) {
      setBusy({ busy: false, error });
    }
  };
  const label = recovery ? 'Recovery code' : 'Code from your authenticator app';
  return html`
    <form onSubmit=${submit}>
      <label for="answer">${label}</label>
      ${recovery
        ? html`<input key="recovery" id="answer" name="answer" autocomplete="off" required ref=${input} />`
        : html`<input key="code" id="answer" name="answer" autocomplete="one-time-code" required ref=${input}
                      inputmode="numeric" pattern="[0-9]{6}" />`}
      <button type="submit" disabled=${busy}>Verify</button>
      <button type="button" class="link" onClick=${() => setRecovery(!recovery)}>
        ${recovery ? 'Use a code from the app instead' : 'Use a recovery code instead'}
      </button>
    </form>`;
}

// MFA=required_for_admins or required: the factor is set up before anything else.
function EnrolStep({ onDone }) {
  const [enrolment, setEnrolment] = useState(null);
  const [codes, setCodes] = useState(null);
  const [error, setError] = useState(null);
  const start = async () => {
    try {
      setEnrolment((await call('POST', '/auth/mfa/totp')).data);
    } catch (e) {
      setError(e);
    }
  };
  const confirm = async (e) => {
    e.preventDefault();
    try {
      const done = (await call('POST', '/auth/mfa/totp/confirm', { code: e.currentTarget.code.value.trim() })).data;
      adopt(done);
      setCodes(done.recovery_codes);
    } catch (err) {
      setError(err);
    }
  };
  if (codes) {
    return html`
      <h2>Your recovery codes</h2>
      <p>Each works once, in place of a code, if the authenticator app is lost. They are not shown again.</p>
      <ul class="codes">${codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
      <button type="button" onClick=${onDone}>I have kept them: continue</button>`;
  }
  return html`
    <h2>Set up a second factor</h2>
    <p>This service requires administrators to sign in with an authenticator app.</p>
    <${Notice} error=${error} />
    ${enrolment ? html`
      <div class="qr" role="img" aria-label="QR code for the authenticator app"
           dangerouslySetInnerHTML=${{ __html: enrolment.qr_svg }}></div>
      <p>Or type this key: <code>${enrolment.secret}</code></p>
      <form onSubmit=${confirm}>
        <label for="code">Code from your authenticator app</label>
        <input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required />
        <button type="submit">Turn it on</button>
      </form>` : html`<button type="button" onClick=${start}>Show the QR code</button>`}`;
}

export function SignIn({ farewell, onSignedIn }) {
  const [state, setState] = useState({ busy: false, error: null });
  const [mfaToken, setMfaToken] = useState(null);
  const [enrolling, setEnrolling] = useState(false);
  const enter = async () => {
    try {
      onSignedIn(await admitted());
    } catch (error) {
      if (error instanceof ApiError && error.code === 'MFA_ENROLLMENT_REQUIRED') {
        setEnrolling(true);
        return;
      }
      await signOut();
      setMfaToken(null);
      setState({ busy: false, error });
    }
  };
  const passed = (token) => {
    if (token) {
      setMfaToken(token);
      setState({ busy: false, error: null });
    } else {
      enter();
    }
  };
  let step;
  if (enrolling) step = html`<${EnrolStep} onDone=${enter} />`;
  else if (mfaToken) step = html`<${CodeStep} mfaToken=${mfaToken} onPassed=${enter} busy=${state.busy} setBusy=${setState} />`;
  else step = html`<${PasswordStep} onPassed=${passed} busy=${state.busy} setBusy=${setState} />`;
  return html`
    <main id="main" class="signin">
      <h1>gatehouse admin</h1>
      <${Notice} error=${state.error} message=${farewell} />
      ${step}
    </main>`;
}
