// Renders a TOTP enrolment as an application would show it (the qr_svg of POST
// /auth/mfa/totp, inline, beside the secret) in Debian's Chromium through playwright-core,
// with the network cut off, and saves a screenshot for a QR reader to scan.
// Prints one JSON object on stdout; the Python test (test_mfa_page.py) asserts on it.
//
//   node mfa_page.mjs <html-file> <screenshot>
// NODE_MODULES names the folder holding playwright-core (installed by tools/npm-ci).
import { readFileSync } from 'node:fs';
import { launch } from './chromium.mjs';

const [htmlFile, shot] = process.argv.slice(2);

const chrome = await launch({ width: 620, height: 420 });
const browser = chrome.browser;
const result = { requests: [], scripts: 0, svg: null };
try {
  const page = await browser.newPage();
  await page.route('**/*', (route) => { result.requests.push(route.request().url()); route.abort(); });
  await page.setContent(readFileSync(htmlFile, 'utf8'), { waitUntil: 'load' });
  result.scripts = await page.$$eval('script', (s) => s.length);
  result.svg = await page.$eval('svg', (svg) => {
    const box = svg.getBoundingClientRect();
    return { width: box.width, height: box.height };
  });
  await page.screenshot({ path: shot, fullPage: true });
} finally {
  await chrome.close();
}
console.log(JSON.stringify(result));
