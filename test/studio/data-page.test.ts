/**
 * The Data page in chromium on a workspace whose recipe reads a ShareGPT JSON and a CSV file (real
 * fixtures): those open read-only with the way to edit them; deep links open the page of a line and
 * highlight it; a new example is scrolled into view; an empty example asks before it is saved; label
 * counts follow a Save; and Rerun runs the real `ftpipe run` as a child of the studio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { startStudio, type RunningStudio } from '../../src/studio/server.js';
import { acquireWorkspaceLock } from '../../src/store/workspace-lock.js';
import { makeStudioWorkspace, type StudioWorkspace } from './studio-workspace.js';
import { hasChromium, launchChromium } from './chromium.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const T = { timeout: 15_000 };

const RECIPE = `name: data-page
provider:
  kind: local
stages:
  issues:
    uses: conversations
    with:
      input: data/issues.json
      sys_prompt: You label issues.
      task_type: classification
  logs:
    uses: ingest-csv
    with:
      input: data/linux.csv
      user: 'Log line: {Content}'
      assistant: Linux
  validate:
    uses: validate
    with:
      input: \${{ stages.logs.outputs.data }}
      model: gpt-4o-mini-2024-07-18
`;

describe.skipIf(!hasChromium)('studio Data page', () => {
  let ws: StudioWorkspace;
  let studio: RunningStudio;
  let browser: BrowserContext;
  let page: Page;

  const inView = (card: Locator) => card.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= innerHeight;
  });
  const post = (path: string, body: unknown = {}) => page.evaluate(async ([p, b]) => {
    const res = await fetch(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    return { status: res.status, body: await res.json() };
  }, [path, body] as const);

  beforeAll(async () => {
    ws = await makeStudioWorkspace();
    copyFileSync(join(fixtures, 'sharegpt', 'antrea-issues.json'), join(ws.root, 'data', 'issues.json'));
    writeFileSync(join(ws.root, 'data', 'linux.csv'), readFileSync(join(fixtures, 'csv', 'loghub-Linux_2k.log_structured.csv'), 'utf8').split('\n').slice(0, 30).join('\n') + '\n');
    writeFileSync(ws.recipe, RECIPE);
    studio = await startStudio({ workspace: ws.root, recipe: ws.recipe, port: 0 });
    ({ browser, page } = await launchChromium());
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('opens a ShareGPT JSON input read-only, as messages, with the way to edit it', async () => {
    await page.goto(`${studio.url}#/data`);
    await page.getByRole('link', { name: 'data/issues.json' }).click();
    await expect.poll(() => page.getByTestId('page-range').textContent(), T).toBe('1–6 of 6');
    const note = await page.getByRole('note').textContent();
    expect(note).toContain('Read-only');
    expect(note).toContain('edit data/issues.json itself, or the params of the stage that converts it: issues (uses: conversations)');
    const first = page.locator('article.card').first();
    expect(await first.locator('.line').textContent()).toBe('line 2');
    expect(await first.getByLabel('system message').inputValue()).toBe('You label issues.');
    expect(await first.getByLabel('user message').inputValue()).toContain('title: Egress should not be applied');
    expect(await first.getByLabel('user message').evaluate((el) => (el as HTMLTextAreaElement).readOnly)).toBe(true);
    expect(await page.getByRole('button', { name: /^Save/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '+ example' }).count()).toBe(0);
    expect(await first.getByRole('button', { name: 'Delete example' }).count()).toBe(0);
  });

  it('a JSON or CSV file the recipe does not read stays refused, and a source cannot be saved to', async () => {
    writeFileSync(join(ws.root, 'data', 'credentials.json'), '{"private_key": "not for the browser"}');
    for (const path of ['data/credentials.json', 'data/other.csv']) {
      writeFileSync(join(ws.root, 'data', 'other.csv'), 'a,b\n1,2\n');
      const refused = await post('/api/data/open', { path });
      expect(refused.status, path).toBe(403);
      expect(refused.body.error.code).toBe('STUDIO_PATH_REFUSED');
    }
    const opened = await post('/api/data/open', { path: 'data/issues.json' });
    expect(opened.body.access).toBe('source');
    const save = await post('/api/data/save', { id: opened.body.id, append: [{ messages: [{ role: 'user', content: 'x' }] }] });
    expect(save.status).toBe(403);
    expect(save.body.error.code).toBe('STUDIO_READ_ONLY');
    expect(readFileSync(join(ws.root, 'data', 'issues.json'), 'utf8')).toBe(readFileSync(join(fixtures, 'sharegpt', 'antrea-issues.json'), 'utf8'));
  });

  it('opens a CSV input read-only, one row per card, and deep-links to a line of it', async () => {
    await page.goto(`${studio.url}#/data?file=data/linux.csv&line=25`);
    await expect.poll(() => page.getByTestId('page-range').textContent(), T).toBe('21–29 of 29');
    expect(await page.getByRole('note').textContent()).toContain('logs (uses: ingest-csv)');
    const highlighted = page.locator('article.card.highlighted');
    expect(await highlighted.locator('.line').textContent()).toBe('line 25');
    expect(JSON.parse(await highlighted.getByLabel('raw JSON').inputValue())).toMatchObject({ LineId: '24', Component: expect.any(String) });
  });

  it('a deep link to a JSONL line opens the page holding it, highlighted and in view', async () => {
    await page.goto(`${studio.url}#/data?file=data/train.jsonl&line=42`);
    await expect.poll(() => page.getByTestId('page-range').textContent(), T).toBe('41–60 of 120');
    const highlighted = page.locator('article.card.highlighted');
    expect(await highlighted.locator('.line').textContent()).toBe('line 42');
    await expect.poll(() => inView(highlighted), T).toBe(true);
    expect(await page.locator('article.card.highlighted').count()).toBe(1);
  });

  it('scrolls a new example into view and asks before saving one whose messages are empty', async () => {
    await page.goto(`${studio.url}#/data?file=data/train.jsonl`);
    await expect.poll(() => page.getByTestId('page-range').textContent(), T).toBe('1–20 of 120');
    await page.getByRole('button', { name: '+ example' }).click();
    await expect.poll(() => inView(page.locator('#new-0')), T).toBe(true);
    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Save (1)' }).click();
    await expect.poll(() => dialogs, T).toEqual(['An example has only empty messages: save it anyway?']);
    expect(readFileSync(ws.dataset, 'utf8')).toBe(ws.lines.join(''));
    expect(await page.getByRole('status').count()).toBe(0);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Save (1)' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), T).toContain('Saved 1 change');
    expect(readFileSync(ws.dataset, 'utf8').split('\n').filter(Boolean)).toHaveLength(121);
  });

  it('label counts follow a Save', async () => {
    await page.goto(`${studio.url}#/data?file=data/train.jsonl`);
    await expect.poll(() => page.getByTestId('page-range').textContent(), T).toBe('1–20 of 121');
    const labels = () => page.getByLabel('label').locator('option').allTextContents();
    await expect.poll(labels, T).toContain('Linux (40)');
    await page.locator('article.card').nth(2).getByLabel('assistant message').fill('Kernel');
    await page.getByRole('button', { name: 'Save (1)' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), T).toContain('Saved 1 change');
    await expect.poll(labels, T).toEqual(expect.arrayContaining(['Linux (39)', 'Kernel (1)']));
  });

  it('after a Save, Rerun runs the recipe (one at a time, never while the workspace lock is held)', async () => {
    const lock = await acquireWorkspaceLock(join(ws.root, '.ftpipe', 'lock'), { command: 'ftpipe run pipelines/other.yaml' });
    try {
      const refused = await post('/api/run/start');
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('ftpipe run pipelines/other.yaml (pid');
    } finally {
      lock.release();
    }
    await page.getByRole('button', { name: 'Rerun pipelines/demo.yaml' }).click();
    await expect.poll(() => page.getByTestId('rerun-state').textContent(), T).toMatch(/running since|finished/);
    const second = await post('/api/run/start');
    if (second.status !== 200) expect(second.body.error.code).toBe('STUDIO_RUN_BUSY');
    await expect.poll(() => page.getByTestId('rerun-state').textContent(), { timeout: 120_000 }).toMatch(/^finished in/);
    expect(await page.getByTestId('rerun-output').textContent()).toContain('validate');
    const last = JSON.parse(readFileSync(join(ws.root, '.ftpipe', 'runs', 'last.json'), 'utf8'));
    expect(last['pipelines/demo.yaml'].stages.validate.state).toMatch(/ran|cached/);
  }, 180_000);
});
