// Drives the admin console (GET /admin) in Debian's Chromium through playwright-core, as an
// operator would, finding every control by its role and label: a user's sign-in refused,
// the admin's sign-in with a TOTP code (keyboard only), search, "Load more", an invitation,
// a deactivation (the user's token refused at once), ending sessions, LAST_ADMIN in words,
// an audit row, a key rotation refused by its guard, an axe-core scan of each view, the
// users list at 360 px. Every console error and CSP violation of the run is collected.
// Prints one JSON object on stdout; test_console_page.py sets the scene and asserts on it.
//
//   node console_page.mjs <base-url> <scene.json> <screenshot-dir>
// NODE_MODULES names the folder holding playwright-core and axe-core (tools/npm-ci).
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launch, require } from './chromium.mjs';

const [base, sceneFile, shots] = process.argv.slice(2);
const scene = JSON.parse(readFileSync(sceneFile, 'utf8'));
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// RFC 6238 as authenticator apps compute it, for a time step after the last one used.
function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[19] & 15;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(value).padStart(6, '0');
}
function nextCode() {
  const now = Math.floor(Date.now() / 30000);
  const step = Math.max(now, scene.used_step + 1);
  return totp(scene.secret, step);
}

const result = { errors: [], csp: [], steps: {}, axe: {}, userRequests: [] };
let current = null; // the page in use, for a screenshot of a failure
const chrome = await launch({ width: 1100, height: 900 });
const browser = chrome.browser;

// Records every error the page logs and every CSP violation it reports.
async function watched() {
  const page = await browser.newPage();
  current = page;
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp = (window.__csp || []).concat(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (m) => { if (m.type() === 'error') result.errors.push(m.text()); });
  page.on('pageerror', (e) => result.errors.push(String(e)));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/users/')) result.userRequests.push(`${r.method()} ${url.pathname}${url.search}`);
  });
  return page;
}

async function collectCsp(page) {
  result.csp.push(...await page.evaluate(() => window.__csp || []));
}

async function axe(page, name) {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => (await window.axe.run(document)).violations
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })));
  result.axe[name] = found;
}

async function alertText(page) {
  const alert = page.getByRole('alert');
  await alert.waitFor();
  return alert.innerText();
}

async function status(page, text) {
  await page.getByRole('status').filter({ hasText: text }).waitFor();
  return true;
}

try {
  // A user who is not an admin signs in: the API's refusal, and nothing else.
  const outsider = await watched();
  await outsider.goto(`${base}/admin`);
  await outsider.getByLabel('Email').fill(scene.user.email);
  await outsider.getByLabel('Password').fill(scene.user.password);
  await outsider.getByRole('button', { name: 'Sign in' }).click();
  result.steps.outsider = await alertText(outsider);
  result.steps.outsiderSeesUsers = await outsider.getByRole('heading', { name: 'Users' }).count();
  await collectCsp(outsider);
  await outsider.close();

  // The admin, with the keyboard alone: password, then the authenticator's code. The page's
  // clock is Playwright's, so 15 idle minutes can pass at the end without waiting them.
  const page = await watched();
  await page.clock.install();
  await page.goto(`${base}/admin`);
  await axe(page, 'signin');
  await page.getByLabel('Email').focus();
  await page.keyboard.type(scene.admin.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(scene.admin.password);
  await page.keyboard.press('Enter');
  // The field takes the focus once it is drawn (an effect): keys typed before that go
  // nowhere, as they would for a person who types before the field is there.
  await page.waitForFunction(() => document.activeElement?.labels?.[0]?.textContent === 'Code from your authenticator app');
  await page.keyboard.type(nextCode());
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  await status(page, '50 shown');
  result.steps.totals = await page.getByRole('definition').allInnerTexts();
  await page.screenshot({ path: path.join(shots, 'console-users.png'), fullPage: false });
  await axe(page, 'users');

  // One request a page: "Load more" asks for the next page and nothing else.
  result.userRequests.length = 0;
  await page.getByRole('button', { name: 'Load more' }).click();
  await page.getByRole('status').filter({ hasText: /^(5[1-9]|[6-9]\d|\d{3,}) shown$/ }).waitFor();
  result.steps.loadMoreRequests = [...result.userRequests];

  // Search.
  await page.getByLabel('Email contains').fill(scene.target.email.split('@')[0]);
  await page.getByRole('button', { name: 'Search' }).click();
  await status(page, '1 shown');
  result.steps.searchRows = await page.getByRole('row').count();

  // An invitation: no password, so the API mails one.
  await page.getByLabel("New user's email").fill(scene.invitee);
  await page.getByRole('button', { name: 'Create user' }).click();
  await status(page, `Invited ${scene.invitee}`);
  result.steps.invited = true;

  // The target's page: deactivate, and their token stops working at once.
  await page.getByRole('link', { name: scene.target.email }).click();
  await page.getByRole('heading', { name: scene.target.email, level: 1 }).waitFor();
  await page.screenshot({ path: path.join(shots, 'console-user.png'), fullPage: true });
  await axe(page, 'user');
  const before = await fetch(`${base}/users/me`, { headers: { Authorization: `Bearer ${scene.target.access}` } });
  await page.getByLabel('Active').uncheck();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await status(page, 'Saved.');
  const after = await fetch(`${base}/users/me`, { headers: { Authorization: `Bearer ${scene.target.access}` } });
  result.steps.deactivated = { before: before.status, after: after.status };

  // Another user's sessions: end one, then all.
  await page.goto(`${base}/admin#/users/${scene.traveller.id}`);
  await page.getByRole('heading', { name: scene.traveller.email, level: 1 }).waitFor();
  const ends = page.getByRole('button', { name: /^End session from/ });
  await ends.first().waitFor();
  result.steps.sessionsBefore = await ends.count();
  await ends.first().click();
  await status(page, 'Session ended.');
  result.steps.sessionsAfterOne = await page.getByRole('button', { name: /^End session from/ }).count();
  await page.getByRole('button', { name: 'End all sessions' }).click();
  await status(page, 'Every session ended.');
  await page.getByText('No open session.').waitFor();
  result.steps.sessionsEnded = true;

  // The last admin cannot demote themself: the refusal in words.
  await page.goto(`${base}/admin#/users/${scene.admin.id}`);
  await page.getByRole('heading', { name: scene.admin.email, level: 1 }).waitFor();
  await page.getByLabel('Role').selectOption('user');
  await page.getByRole('button', { name: 'Save changes' }).click();
  result.steps.lastAdmin = await alertText(page);

  // The audit log shows the deactivation.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByLabel('Types (comma-separated)').fill('user.updated');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByRole('cell', { name: scene.target.id }).first().waitFor();
  result.steps.auditRow = true;
  await axe(page, 'audit');

  // A key rotation too early: the guard refuses, in words.
  await page.getByRole('link', { name: 'Signing keys' }).click();
  await page.getByRole('heading', { name: 'Signing keys' }).waitFor();
  await page.getByLabel('Algorithm of a new key').selectOption('ES256');
  await page.getByRole('button', { name: 'Create key' }).click();
  await status(page, 'A new ES256 key is published, on standby.');
  await page.getByRole('button', { name: /^Activate key/ }).first().click();
  result.steps.rotation = await alertText(page);
  await page.screenshot({ path: path.join(shots, 'console-keys.png'), fullPage: true });
  await axe(page, 'keys');

  // 360 px wide: the users list fits, nothing scrolls sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.getByRole('link', { name: 'Users' }).click();
  await status(page, /\d+ shown/);
  result.steps.narrow = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  await page.screenshot({ path: path.join(shots, 'console-users-360.png'), fullPage: false });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  result.steps.signedOut = true;

  // Back in with a recovery code, then left alone for 16 minutes.
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.getByLabel('Email').fill(scene.admin.email);
  await page.getByLabel('Password').fill(scene.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(scene.recovery_code);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  await page.clock.fastForward('16:00');
  await status(page, 'Signed out after 15 idle minutes.');
  result.steps.idleSignOut = await page.getByRole('button', { name: 'Sign in' }).count();
  await collectCsp(page);
} catch (e) {
  result.failure = String(e && e.stack || e);
  if (current) await current.screenshot({ path: path.join(shots, 'console-failure.png'), fullPage: true }).catch(() => {});
} finally {
  await chrome.close();
}
console.log(JSON.stringify(result));
