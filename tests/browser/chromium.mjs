// Debian's Chromium through playwright-core, as every browser test here starts it: a fresh
// profile (user-data dir) per run, removed by close(), no background traffic of its own.
// NODE_MODULES names the folder holding the npm tools (tools/npm-ci).
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const require = createRequire(path.join(process.env.NODE_MODULES, 'noop.js'));

export async function launch(viewport) {
  const { chromium } = require('playwright-core');
  const profile = mkdtempSync(path.join(tmpdir(), 'gh-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
