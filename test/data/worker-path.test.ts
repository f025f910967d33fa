/**
 * Under vitest the .ts sources run token counting inline; this runs the compiled stages (dist/, built
 * by `npm test` before vitest) in a child process, so the worker threads and the shared rank table
 * are exercised, and checks they give the same reports and output as the inline path.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, appendFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(import.meta.dirname, '../../dist');
const built = ['stages/validate.js', 'stages/clean.js', 'bench/stage-context.js', 'bench/generate-chat.js', 'src/data/analyze-worker.js'].every((f) => existsSync(join(dist, f)));

const script = `
const dist = process.argv[2];
const dir = process.argv[3];
const { pathToFileURL } = await import('node:url');
const url = (f) => pathToFileURL(dist + '/' + f).href;
const { default: validate } = await import(url('stages/validate.js'));
const { default: clean } = await import(url('stages/clean.js'));
const { benchContext } = await import(url('bench/stage-context.js'));
const { readFileSync } = await import('node:fs');
const { join } = await import('node:path');
const input = join(dir, 'chat.jsonl');
const out = {};
for (const threads of [2, 0]) {
  const d = join(dir, 'v' + threads);
  await validate.run(benchContext(validate, { input, model: 'gpt-4o-mini-2024-07-18', fail_on: [], threads }, d));
  out['validate' + threads] = JSON.parse(readFileSync(join(d, 'validate', 'report.json'), 'utf8'));
}
for (const threads of [1, 0]) {
  const d = join(dir, 'c' + threads);
  await clean.run(benchContext(clean, { input, max_tokens: 300, on_error: 'skip', threads }, d));
  out['clean' + threads] = { report: JSON.parse(readFileSync(join(d, 'clean', 'report.json'), 'utf8')), data: readFileSync(join(d, 'clean', 'data.jsonl'), 'utf8') };
}
process.stdout.write(JSON.stringify(out));
`;

describe.skipIf(!built)('worker-thread token counting (compiled dist)', () => {
  it('gives the same validate report and clean output as the inline path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-workers-'));
    const input = join(dir, 'chat.jsonl');
    const { generateChatFile } = await import(pathToFileURL(join(dist, 'bench/generate-chat.js')).href);
    await generateChatFile(input, 3000);
    // Broken and unusual lines, and duplicates, mixed in.
    appendFileSync(input, ['{"messages": [', '[1]', JSON.stringify({ messages: [{ role: 'user', content: 'hi 👩‍👩‍👧 <|endoftext|>' }, { role: 'assistant', content: 'ok' }] }), JSON.stringify({ messages: [{ role: 'user', content: 'hi 👩‍👩‍👧 <|endoftext|>' }, { role: 'assistant', content: 'ok' }] }), ''].join('\n'));
    writeFileSync(join(dir, 'run.mjs'), script);
    let out: any;
    try {
      out = JSON.parse(execFileSync(process.execPath, [join(dir, 'run.mjs'), dist, dir], { encoding: 'utf8', maxBuffer: 1 << 28 }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(out.validate2.n_examples).toBe(3004);
    expect(out.validate2.billing.billed_tokens).toBeGreaterThan(0);
    expect(out.validate2).toEqual(out.validate0);
    expect(out.clean1.report.rules['max-tokens'].count).toBeGreaterThan(0);
    expect(out.clean1.report.rules['dedupe-exact'].count).toBe(1);
    expect(out.clean1).toEqual(out.clean0);
  });
});
