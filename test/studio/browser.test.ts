/**
 * The studio in a real browser (Debian's chromium, headless, driven by playwright-core) against a real
 * server on a temp workspace. STUDIO_SCREENSHOTS=1 also writes docs/screenshots/<page>.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startStudio, type RunningStudio } from '../../src/studio/server.js';
import { makeStudioWorkspace, type StudioWorkspace } from './studio-workspace.js';

const CHROMIUM = '/usr/bin/chromium';
const screenshotsDir = process.env.STUDIO_SCREENSHOTS ? join(import.meta.dirname, '..', '..', 'docs', 'screenshots') : null;

let ws: StudioWorkspace;
let studio: RunningStudio;
let browser: BrowserContext;
let page: Page;

async function screenshot(name: string, fullPage = true): Promise<void> {
  if (screenshotsDir) await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage });
}

describe.skipIf(!existsSync(CHROMIUM))('studio in chromium', () => {
  beforeAll(async () => {
    ws = await makeStudioWorkspace();
    studio = await startStudio({ workspace: ws.root, recipe: ws.recipe, port: 0 });
    // A fresh profile per run: nothing from an earlier session (cache, storage) can leak into a test.
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ftpipe-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (error) => {
      throw error;
    });
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('Data: edits an answer and saves it; untouched lines stay byte-identical', async () => {
    await page.goto(`${studio.url}#/data`);
    await page.getByRole('link', { name: 'data/train.jsonl' }).click();
    await expect.poll(() => page.getByTestId('page-range').textContent()).toBe('1–20 of 120');
    await expect.poll(() => page.locator('.finding.warning').first().textContent()).toBe('missing_user');
    const card = page.locator('article.card').nth(1);
    await card.getByLabel('assistant message').fill('Linux (kernel)');
    await screenshot('data', false);
    await page.getByRole('button', { name: 'Save (1)' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Saved 1 change');
    const after = readFileSync(ws.dataset, 'utf8').split(/(?<=\n)/);
    expect(after).toHaveLength(120);
    expect(JSON.parse(after[1]).messages[2].content).toBe('Linux (kernel)');
    after.forEach((line, i) => i !== 1 && expect(line, `line ${i + 1}`).toBe(ws.lines[i]));
  });

  it('Data: a file changed on disk is not overwritten (409 shown in the page)', async () => {
    await page.goto(`${studio.url}#/data?file=data/train.jsonl`);
    await page.reload();
    await expect.poll(() => page.getByTestId('page-range').textContent()).toBe('1–20 of 120');
    const extra = JSON.stringify({ messages: [{ role: 'user', content: 'added elsewhere' }, { role: 'assistant', content: 'Linux' }] }) + '\n';
    appendFileSync(ws.dataset, extra);
    await page.locator('article.card').first().getByLabel('assistant message').fill('edited in the studio');
    await page.getByRole('button', { name: 'Save (1)' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('changed on disk since it was loaded');
    expect(readFileSync(ws.dataset, 'utf8').endsWith(extra)).toBe(true);
    await page.getByRole('button', { name: /Reload file/ }).click();
    await expect.poll(() => page.getByTestId('page-range').textContent()).toBe('1–20 of 121');
  });

  it('Data: a stage output is read-only; its edits are saved as a workspace file and the recipe points at it', async () => {
    const output = join(ws.root, '.ftpipe', 'out', 'pipelines', 'demo.yaml', 'upload', 'data.jsonl');
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, ws.lines.slice(0, 5).join(''));
    const recipe = readFileSync(ws.recipe, 'utf8');
    writeFileSync(ws.recipe, recipe.replace('      ft_job_id: ${{ stages.train.outputs.job_id }}', '      ft_job_id: ${{ stages.train.outputs.job_id }}\n      notes: ${{ stages.upload.outputs.data }}'));
    try {
      await page.goto(`${studio.url}#/data?file=.ftpipe/out/pipelines/demo.yaml/upload/data.jsonl`);
      await expect.poll(() => page.getByTestId('page-range').textContent()).toBe('1–5 of 5');
      expect(await page.getByRole('button', { name: /^Save( \(\d+\))?$/ }).count()).toBe(0);
      await page.locator('article.card').first().getByLabel('assistant message').fill('fixed in the studio');
      await page.getByLabel('new file').fill('data/upload-fixed.jsonl');
      await page.getByRole('button', { name: 'Save as workspace file (1)' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Saved 1 change as data/upload-fixed.jsonl; pipelines/demo.yaml now reads it in wait');
      expect(JSON.parse(readFileSync(join(ws.root, 'data', 'upload-fixed.jsonl'), 'utf8').split('\n')[0]).messages.at(-1).content).toBe('fixed in the studio');
      expect(readFileSync(output, 'utf8')).toBe(ws.lines.slice(0, 5).join(''));
      expect(readFileSync(ws.recipe, 'utf8')).toContain('notes: "data/upload-fixed.jsonl"');
    } finally {
      writeFileSync(ws.recipe, recipe);
    }
  });

  it('Validation: histograms and findings', async () => {
    await page.goto(`${studio.url}#/validation`);
    await page.getByTestId('hist-total').locator('canvas').waitFor();
    expect(await page.locator('table').last().textContent()).toContain('missing_user');
    await screenshot('validation');
  });

  it('Run: the DAG with states and the loss curve from metrics.csv', async () => {
    await page.goto(`${studio.url}#/run`);
    await page.getByTestId('loss-chart').locator('canvas').waitFor();
    expect(await page.getByTestId('loss-chart').locator('.u-legend').textContent()).toContain('train_loss');
    expect(await page.getByTestId('dag').locator('g.node.failed').textContent()).toContain('eval');
    expect(await page.locator('table.events').textContent()).toContain('successfully completed');
    await screenshot('run');
  });

  it('Run: the last real run per stage (a cached stage says when it was made, never 0 ms), readable times, a summary', async () => {
    await page.goto(`${studio.url}#/run`);
    await expect.poll(() => page.getByTestId('run-summary').textContent(), { timeout: 15_000 }).toBe('5 stages: 1 cached, 3 ran, 1 failed · 10.8 s of work');
    const rows = page.locator('table.stages tr');
    const cells = async (i: number) => (await rows.nth(i).locator('td').allTextContents()).slice(0, 4);
    expect(await cells(1)).toEqual(['validate', 'validate', 'cached', expect.stringMatching(/^made \d+ days? ago$|^made \d+\/\d+\/\d+$/)]);
    expect(await cells(2)).toEqual(['upload', 'upload', 'ran', '420 ms']);
    expect(await cells(4)).toEqual(['wait', 'wait', 'ran', '8.2 s']);
    const dag = await page.getByTestId('dag').textContent();
    expect(dag).not.toMatch(/(^|\D)0 ms/);
    expect(await page.getByTestId('dag').locator('g.node.cached').textContent()).toMatch(/validate · cached · made /);
  });

  it('Run: the DAG fits the page; the wheel zooms, dragging pans, Reset view fits it again', async () => {
    await page.setViewportSize({ width: 700, height: 900 });
    try {
      await page.goto(`${studio.url}#/run`);
      const dag = page.getByTestId('dag');
      await dag.waitFor({ timeout: 15_000 });
      const width = () => dag.evaluate((el) => el.getBoundingClientRect().width);
      const pageWidth = await page.evaluate(() => document.documentElement.clientWidth);
      await expect.poll(width, { timeout: 15_000 }).toBeLessThanOrEqual(pageWidth);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(pageWidth);
      const fitted = await dag.getAttribute('viewBox');
      const box = (await dag.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -300);
      await expect.poll(() => dag.getAttribute('viewBox'), { timeout: 15_000 }).not.toBe(fitted);
      const zoomed = (await dag.getAttribute('viewBox'))!.split(' ').map(Number);
      expect(zoomed[2]).toBeLessThan(Number(fitted!.split(' ')[2]));
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 - 80, box.y + box.height / 2, { steps: 4 });
      await page.mouse.up();
      await expect.poll(async () => Number((await dag.getAttribute('viewBox'))!.split(' ')[0]), { timeout: 15_000 }).toBeGreaterThan(zoomed[0]);
      await page.getByRole('button', { name: 'Reset view' }).click();
      await expect.poll(() => dag.getAttribute('viewBox'), { timeout: 15_000 }).toBe(fitted);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('Eval: side by side; only disagreements shows only samples whose verdicts differ; per-label table; intervals', async () => {
    await page.goto(`${studio.url}#/eval`);
    await expect.poll(() => page.locator('table.samples tr').count()).toBe(4);
    await page.getByLabel('only disagreements').check();
    await expect.poll(() => page.locator('table.samples tr').count()).toBe(2);
    const samples = await page.locator('table.samples').textContent();
    expect(samples).toContain('Failed password');
    expect(samples).not.toContain('Out of memory'); // the answers differ, the verdicts do not
    const labels = page.getByTestId('labels-fine-tuned');
    expect(await labels.locator('tr').nth(1).textContent()).toBe('Linux1.000.500.672');
    expect(await labels.textContent()).toContain('micro average1.000.670.80');
    expect(await page.getByTestId('stat-fine-tuned').textContent()).toContain('95% interval 0.33 – 1.00');
    expect(await page.getByTestId('stat-fine-tuned').textContent()).toContain('1,234 + 56 tokens · $0.0012 · p50 380 ms');
    expect(await page.getByTestId('difference').textContent()).toBe('+0.33fine-tuned − base95% interval -0.33 … +1.00 (includes 0)');
    await screenshot('eval');
  });
});
