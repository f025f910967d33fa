/**
 * The Playground's behaviour in chromium with a provider the test drives (through startStudio's
 * providerFactory): the answer streams in piece by piece (the test holds the provider between pieces,
 * so no timing is involved), the transcript follows the newest message, the system prompt comes from
 * the recipe and the recipe's own models are listed first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import type { ChatOptions, ChatRequest, Provider } from '../../src/providers/types.js';
import { startStudio, type RunningStudio } from '../../src/studio/server.js';
import { makeStudioWorkspace } from './studio-workspace.js';
import { hasChromium, launchChromium } from './chromium.js';

const SYS = 'You triage logs. Answer with the system name only.';

/** Answers every chat with `pieces`, waiting for the test's go-ahead after the first one. */
class SteppedProvider {
  readonly capabilities = { needsDeployment: false };
  readonly identity = { kind: 'local' };
  requests: ChatRequest[] = [];
  pieces: string[] = ['Open', 'SSH ', 'it is'];
  private release: (() => void) | null = null;
  private held: Promise<void> | null = null;

  hold(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }
  go(): void {
    this.release?.();
  }
  async listModels() {
    return ['gpt-4o-mini-2024-07-18', 'another-base-model', 'ft:local:studio-test:abc123'].map((id) => ({ id }));
  }
  async chat(request: ChatRequest, options: ChatOptions = {}) {
    this.requests.push(request);
    const [first, ...rest] = this.pieces;
    options.onDelta?.(first);
    await this.held;
    for (const piece of rest) options.onDelta?.(piece);
    return { content: this.pieces.join(''), finishReason: 'stop', usage: { promptTokens: 12, completionTokens: 3 } };
  }
  async close() {}
}

describe.skipIf(!hasChromium)('playground (streaming, scrolling, recipe defaults)', () => {
  let studio: RunningStudio;
  let browser: BrowserContext;
  let page: Page;
  const provider = new SteppedProvider();

  beforeAll(async () => {
    const ws = await makeStudioWorkspace();
    const recipe = readFileSync(ws.recipe, 'utf8')
      .replace('provider:\n', `vars:\n  sys_prompt: ${SYS}\ndefaults:\n  model: gpt-4o-mini-2024-07-18\nprovider:\n`)
      .replace('  train:\n    uses: train\n    with:\n      model: gpt-4o-mini-2024-07-18\n', '  train:\n    uses: train\n    with:\n')
      .concat('  infer:\n    uses: infer\n    with:\n      model: ${{ stages.wait.outputs.fine_tuned_model }}\n      sys_prompt: ${{ vars.sys_prompt }}\n      user_input: hello\n');
    writeFileSync(ws.recipe, recipe);
    studio = await startStudio({ workspace: ws.root, recipe: ws.recipe, port: 0, env: {}, providerFactory: async () => provider as unknown as Provider });
    ({ browser, page } = await launchChromium({ width: 1280, height: 700 }));
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it("prefills the recipe's sys_prompt and lists its own models first, labelled", async () => {
    await page.goto(`${studio.url}#/playground`);
    await expect.poll(() => page.getByLabel('system prompt').inputValue(), { timeout: 15_000 }).toBe(SYS);
    expect(await page.getByLabel('model').inputValue()).toBe('ft:local:studio-test:abc123');
    const groups = page.locator('select[aria-label="model"] optgroup');
    expect(await groups.nth(0).getAttribute('label')).toBe('this recipe');
    expect(await groups.nth(0).locator('option').allTextContents()).toEqual(['ft:local:studio-test:abc123 — fine-tuned (stage wait)', 'gpt-4o-mini-2024-07-18 — base (stage train)']);
    expect(await groups.nth(1).getAttribute('label')).toBe('other models of local');
    expect(await groups.nth(1).locator('option').allTextContents()).toEqual(['another-base-model']);
  });

  it('streams the answer: the first words show before it is complete, then it shows whole with its usage', async () => {
    await page.goto(`${studio.url}#/playground`);
    await expect.poll(() => page.getByLabel('system prompt').inputValue(), { timeout: 15_000 }).toBe(SYS);
    provider.pieces = ['The ', 'answer ', 'is OpenSSH'];
    provider.hold();
    await page.getByLabel('message').fill('which system?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('.bubble.assistant .text').textContent(), { timeout: 15_000 }).toBe('The ▍');
    provider.go();
    await expect.poll(() => page.locator('.bubble.assistant .text').textContent(), { timeout: 15_000 }).toBe('The answer is OpenSSH');
    await expect.poll(() => page.locator('.bubble.assistant .who').textContent(), { timeout: 15_000 }).toContain('12+3 tokens');
    expect(provider.requests.at(-1)?.messages[0]).toEqual({ role: 'system', content: SYS });
  });

  it('keeps the newest message in view', async () => {
    await page.goto(`${studio.url}#/playground`);
    await expect.poll(() => page.getByLabel('system prompt').inputValue(), { timeout: 15_000 }).toBe(SYS);
    provider.pieces = [Array.from({ length: 40 }, (_, i) => `line ${i + 1} of a long answer\n`).join('')];
    provider.hold();
    provider.go();
    for (const text of ['first question', 'second question']) {
      await page.getByLabel('message').fill(text);
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Send' }).isEnabled(), { timeout: 15_000 }).toBe(true);
    }
    const transcript = page.getByTestId('transcript');
    const gap = () => transcript.evaluate((box) => box.scrollHeight - box.clientHeight - box.scrollTop);
    expect(await transcript.evaluate((box) => box.scrollHeight > box.clientHeight * 2)).toBe(true);
    await expect.poll(gap, { timeout: 15_000 }).toBeLessThan(2);
  });
});
