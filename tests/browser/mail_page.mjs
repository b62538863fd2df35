// Renders a mail's HTML part in Debian's Chromium through playwright-core, as a mail client
// would show it (no network: a mail that needs a CDN looks broken in most clients), reads
// what a person sees and where the button goes, and saves a screenshot.
// Prints one JSON object on stdout; the Python test (test_mail_page.py) asserts on it.
//
//   node mail_page.mjs <html-file> <screenshot>
// NODE_MODULES names the folder holding playwright-core (installed by tools/npm-ci).
import { readFileSync } from 'node:fs';
import { launch } from './chromium.mjs';

const [htmlFile, shot] = process.argv.slice(2);

const chrome = await launch({ width: 720, height: 300 });
const browser = chrome.browser;
const result = { requests: [], text: '', links: [], scripts: 0 };
try {
  const page = await browser.newPage();
  await page.route('**/*', (route) => { result.requests.push(route.request().url()); route.abort(); });
  await page.setContent(readFileSync(htmlFile, 'utf8'), { waitUntil: 'load' });
  result.text = await page.evaluate(() => document.body.innerText);
  result.links = await page.$$eval('a[href]', (as) => as.map((a) => ({
    href: a.getAttribute('href'), text: a.innerText.trim(), visible: a.offsetWidth > 0 && a.offsetHeight > 0,
  })));
  result.scripts = await page.$$eval('script', (s) => s.length);
  await page.screenshot({ path: shot, fullPage: true });
} finally {
  await chrome.close();
}
console.log(JSON.stringify(result));
