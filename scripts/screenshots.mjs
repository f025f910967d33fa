#!/usr/bin/env node
// Screenshots of every studio page on this repository's own demo run (run the demo first):
//   npm run build && npx ftpipe run pipelines/error-cat.yaml && node scripts/screenshots.mjs
// Uses Debian's chromium (/usr/bin/chromium) through playwright-core; writes docs/screenshots/<page>.png.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStudio } from '../dist/src/studio/server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'screenshots');
const studio = await startStudio({ workspace: root, recipe: join(root, 'pipelines', 'error-cat.yaml'), port: 0 });
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ftpipe-shots-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  const shot = async (name, fullPage = true) => {
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(out, `${name}.png`), fullPage });
  };
  await page.goto(`${studio.url}#/data`);
  await page.getByRole('link', { name: /split\/train/ }).first().click();
  await shot('data', false);
  await page.goto(`${studio.url}#/validation`);
  await shot('validation');
  await page.goto(`${studio.url}#/run`);
  await shot('run', false);
  await page.goto(`${studio.url}#/eval`);
  await shot('eval', false);
  await page.goto(`${studio.url}#/playground`);
  await page.getByPlaceholder(/message/).fill('Log line: Failed password for invalid user admin from 173.234.31.186 port 38926 ssh2');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('.bubble.assistant:not(.streaming)').waitFor({ timeout: 60_000 });
  await shot('playground');
} finally {
  await browser.close();
  await studio.close();
}
