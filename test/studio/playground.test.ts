/**
 * The Playground in chromium against a model really fine-tuned on the local provider: the test trains
 * it (upload + job on the Loghub dataset), writes its id into the lock like the wait stage would, and
 * chats with it through the studio (the studio starts its own local provider on the same state dir).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createProvider } from '../../src/providers/index.js';
import { startStudio, type RunningStudio } from '../../src/studio/server.js';
import { makeStudioWorkspace, type StudioWorkspace } from './studio-workspace.js';

const CHROMIUM = '/usr/bin/chromium';
const screenshotsDir = process.env.STUDIO_SCREENSHOTS ? join(import.meta.dirname, '..', '..', 'docs', 'screenshots') : null;

describe.skipIf(!existsSync(CHROMIUM))('playground', () => {
  let ws: StudioWorkspace;
  let studio: RunningStudio;
  let browser: BrowserContext;
  let page: Page;
  let fineTuned: string;

  beforeAll(async () => {
    ws = await makeStudioWorkspace();
    const provider = await createProvider({ kind: 'local' }, { workspace: ws.root, env: {} });
    try {
      const file = await provider.uploadFile(ws.dataset, { purpose: 'fine-tune' });
      let job = await provider.createJob({ model: 'gpt-4o-mini-2024-07-18', trainingFile: file.id, idempotencyKey: 'studio-playground-test', suffix: 'studio' });
      const deadline = Date.now() + 40_000;
      while (!['succeeded', 'failed', 'cancelled'].includes(job.status) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        job = await provider.getJob(job.id);
      }
      expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
      fineTuned = job.fineTunedModel!;
    } finally {
      await provider.close();
    }
    const lock = join(ws.root, 'ftpipe.lock');
    writeFileSync(lock, readFileSync(lock, 'utf8').replace('ft:local:studio-test:abc123', fineTuned));
    studio = await startStudio({ workspace: ws.root, recipe: ws.recipe, port: 0, env: {} });
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ftpipe-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('preselects the fine-tuned model and answers a message', async () => {
    await page.goto(`${studio.url}#/playground`);
    await expect.poll(() => page.getByLabel('model').inputValue()).toBe(fineTuned);
    await page.getByLabel('system prompt').fill('You triage logs. Answer with the name of the system that wrote the log line, nothing else.');
    await page.getByLabel('message').fill('Log line: Failed password for invalid user admin from 173.234.31.186 port 38926 ssh2');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.locator('.bubble.assistant .text');
    await reply.waitFor();
    expect((await reply.textContent())?.trim()).not.toBe('');
    if (screenshotsDir) await page.screenshot({ path: join(screenshotsDir, 'playground.png'), fullPage: true });
  });

  it('streams through the real local provider: the NDJSON answer ends with the same text as a plain chat', async () => {
    const body = { model: fineTuned, messages: [{ role: 'user', content: 'Log line: Failed password for invalid user admin from 173.234.31.186 port 38926 ssh2' }], temperature: 0, max_tokens: 16 };
    const call = (path: string) => page.evaluate(async ([p, b]) => (await fetch(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) })).text(), [path, body] as const);
    const plain = JSON.parse(await call('/api/chat')) as { content: string };
    const events = (await call('/api/chat/stream')).trim().split('\n').map((line) => JSON.parse(line));
    const done = events.at(-1).done;
    expect(done.content).toBe(plain.content);
    expect(done.usage.completionTokens).toBeGreaterThan(0);
    expect(events.slice(0, -1).map((e) => e.delta).join('')).toBe(done.content.slice(0, done.content.search(/\S*$/)));
  });
});

