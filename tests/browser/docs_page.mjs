// Drives Debian's Chromium through playwright-core against a running gatehouse:
// opens /docs, lists the operations Swagger UI shows, runs "Try it out" on GET /health,
// signs in through "Authorize" with a username and password (the OAuth 2.0 password flow
// to POST /auth/token) and calls GET /users/me, counts the operations ReDoc renders at
// /redoc, and saves screenshots.
// Prints one JSON object on stdout; the Python test (test_docs_page.py) asserts on it.
//
//   node docs_page.mjs <base-url> <output-dir> <email> <password>
// NODE_MODULES names the folder holding playwright-core (installed by tools/npm-ci).
import path from 'node:path';
import { launch } from './chromium.mjs';

const [base, outDir, email, password] = process.argv.slice(2);

const chrome = await launch({ width: 1280, height: 1600 });
const browser = chrome.browser;
const result = {
  operations: [], health: null, token_requests: [], me: null, external: [], console_errors: [],
};
try {
  const page = await browser.newPage();
  // The page must need nothing but the server: note any request elsewhere.
  const local = (url) => url.startsWith(base) || url.startsWith(`blob:${base}`) || url.startsWith('data:');
  // Every request elsewhere, and how it ended: the browser must not even try the network
  // (the page's Content-Security-Policy blocks it first).
  page.on('requestfinished', (r) => { if (!local(r.url())) result.external.push({ url: r.url(), failure: null }); });
  page.on('requestfailed', (r) => {
    if (!local(r.url())) result.external.push({ url: r.url(), failure: r.failure()?.errorText });
  });
  let errors = result.console_errors;
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  await page.goto(`${base}/docs`, { waitUntil: 'networkidle' });
  await page.waitForSelector('.opblock', { timeout: 15000 });
  result.operations = await page.$$eval('.opblock', (blocks) => blocks.map((b) => ({
    method: b.querySelector('.opblock-summary-method')?.textContent.trim().toLowerCase(),
    path: b.querySelector('.opblock-summary-path')?.getAttribute('data-path'),
  })));
  await page.screenshot({ path: path.join(outDir, 'docs.png'), fullPage: false });

  // Try it out: GET /health.
  const health = page.locator('#operations-health-get_health');
  await health.locator('.opblock-summary').click();
  await health.locator('.try-out__btn').click();
  await health.locator('.execute').click();
  const healthStatus = health.locator('.live-responses-table tbody .response-col_status').first();
  await healthStatus.waitFor({ timeout: 15000 });
  result.health = (await healthStatus.textContent()).trim();
  await page.screenshot({ path: path.join(outDir, 'docs-try-health.png'), fullPage: false });

  // Sign in with username and password: Swagger UI posts the form to the password flow's
  // tokenUrl and keeps the access token it answers; then GET /users/me.
  page.on('response', (r) => {
    if (r.url() === `${base}/auth/token`) result.token_requests.push({ status: r.status() });
  });
  await page.locator('.auth-wrapper .authorize').click();
  const oauth = page.locator('.modal-ux .auth-container').filter({ hasText: 'OAuth2PasswordBearer' });
  await oauth.locator('#oauth_username').fill(email);
  await oauth.locator('#oauth_password').fill(password);
  await oauth.locator('.auth-btn-wrapper .authorize').click();
  await oauth.locator('.auth-btn-wrapper button', { hasText: 'Logout' }).waitFor({ timeout: 15000 });
  await page.locator('.modal-ux .modal-ux-content').screenshot({ path: path.join(outDir, 'docs-authorize.png') });
  await page.locator('.modal-ux .close-modal').first().click();
  const me = page.locator('#operations-users-get_users_me');
  await me.locator('.opblock-summary').click();
  await me.locator('.try-out__btn').click();
  await me.locator('.execute').click();
  const meStatus = me.locator('.live-responses-table tbody .response-col_status').first();
  await meStatus.waitFor({ timeout: 15000 });
  result.me = {
    status: (await meStatus.textContent()).trim(),
    body: (await me.locator('.live-responses-table tbody .response-col_description pre').first().textContent()),
  };

  // ReDoc renders the same document: one menu entry per operation.
  result.redoc_console_errors = errors = [];
  await page.goto(`${base}/redoc`, { waitUntil: 'networkidle' });
  await page.waitForSelector('[data-section-id^="operation/"]', { timeout: 15000 });
  result.redoc_operations = await page.$$eval('[data-section-id^="operation/"]',
    (sections) => sections.length);
  await page.screenshot({ path: path.join(outDir, 'redoc.png'), fullPage: false });
} finally {
  await chrome.close();
}
console.log(JSON.stringify(result));
