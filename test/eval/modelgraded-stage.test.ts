/**
 * metric: modelgraded through the eval stage, over real HTTP: a small OpenAI-compatible server started
 * here plays both the evaluated model (it categorises log lines as JSON) and the grader (it reasons,
 * then answers Y/P/N on the last line by comparing the data in the grading prompt).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import evalStage from '../../stages/eval.js';
import { runStage } from '../helpers/run-stage.js';
import { createProvider } from '../../src/providers/index.js';
import type { Provider } from '../../src/providers/types.js';

const dir = mkdtempSync(join(tmpdir(), 'ftpipe-graded-'));
let server: Server;
let provider: Provider;
const calls: Record<string, number> = {};

const graderPrompts: string[] = [];

function reply(model: string, messages: Array<{ content: string }>): string {
  const last = messages[messages.length - 1].content;
  if (model === 'battle-grader') {
    graderPrompts.push(last);
    const first = /\[Response 1\]\n(.*)/.exec(last)?.[1] ?? '';
    return `Comparing.\n${first.includes('haiku') ? 'Yes' : 'No'}`;
  }
  if (model === 'fact-grader') return `Reasoning.\n${last.includes('[Submission]: Paris') ? 'C' : 'D'}`;
  if (model === 'poet') return last.includes('haiku') ? 'a haiku: old pond, frog' : 'a limerick';
  if (model === 'grader') {
    const submitted = /\[Submitted categorisation\]: (.*)/.exec(last)?.[1] ?? '';
    const expert = /\[Expert categorisation\]: (.*)/.exec(last)?.[1] ?? '';
    const category = (s: string) => /"category": ?"(\w+)"/.exec(s)?.[1];
    const canonical = (t: string) => {
      try {
        return JSON.stringify(JSON.parse(t));
      } catch {
        return t;
      }
    };
    const choice = canonical(submitted) === canonical(expert) ? 'Y' : category(submitted) && category(submitted) === category(expert) ? 'P' : 'N';
    return `The expert says ${expert}.\nThe submission says ${submitted}.\n${choice}`;
  }
  if (/EXT4-fs/.test(last)) return '{"category": "disk", "component": "kernel"}';
  if (/sshd/.test(last)) return '{"category": "auth", "component": "kernel"}';
  return 'no idea';
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const request = JSON.parse(body);
      calls[request.model] = (calls[request.model] ?? 0) + 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: request.model, choices: [{ index: 0, message: { role: 'assistant', content: reply(request.model, request.messages) }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  provider = await createProvider({ kind: 'openai-compatible', base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` }, { workspace: dir, env: {} });
});
afterAll(async () => {
  await provider?.close();
  server?.close();
});

describe('eval stage, metric modelgraded', () => {
  it('grades every answer with the spec and the grader model, through the cache', async () => {
    const samples = join(dir, 'samples.jsonl');
    const line = (log: string, ideal: object) => JSON.stringify({ input: [{ role: 'system', content: 'Categorise the log line as JSON.' }, { role: 'user', content: log }], ideal: JSON.stringify(ideal) });
    writeFileSync(samples, [
      line('kernel: EXT4-fs error (device sda1): ext4_find_entry', { category: 'disk', component: 'kernel' }), // Y
      line('sshd[2231]: Failed password for root from 10.0.0.5', { category: 'auth', component: 'sshd' }), // P
      line('named[812]: network unreachable resolving', { category: 'network', component: 'named' }), // N ("no idea")
    ].join('\n') + '\n');
    const params = { samples, models: ['categoriser'], metric: 'modelgraded', spec: join(import.meta.dirname, '../fixtures/eval/json_error_categorization.yaml'), grader: { model: 'grader' } };
    const cacheRoot = join(dir, 'cache');
    const shared = { ...evalStage, run: (ctx: any) => evalStage.run({ ...ctx, cacheDir: (n: string) => join(cacheRoot, n) }) };
    const run = await runStage(shared, { provider, params });
    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'));
    expect(report.score_name).toBe('mean choice score');
    expect(report.models[0].score).toBeCloseTo((1 + 0.5 + 0) / 3);
    expect(report.models[0].metrics).toEqual({ spec: 'json_error_categorization', choice_counts: { Y: 1, P: 1, N: 1 } });
    expect(report.rows.map((r: any) => r.answers.categoriser.detail.choice)).toEqual(['Y', 'P', 'N']);
    expect(calls).toEqual({ categoriser: 3, grader: 3 });
    await runStage(shared, { provider, params });
    expect(calls).toEqual({ categoriser: 3, grader: 3 });
  });
});

describe("eval stage with openai/evals' own registry specs, unmodified", () => {
  const fixtures = join(import.meta.dirname, '../fixtures/eval');
  const run = (params: Record<string, unknown>) => runStage(evalStage, { provider, params });

  it('battle: the model answers input1 and input2, the grader compares both answers', async () => {
    const samples = join(dir, 'battle.jsonl');
    writeFileSync(samples, [{ input1: 'Write a haiku.', input2: 'Write a limerick.' }, { input1: 'Write a limerick.', input2: 'Write a haiku.' }].map((l) => JSON.stringify(l)).join('\n') + '\n');
    const result = await run({ samples, models: ['poet'], metric: 'modelgraded', spec: join(fixtures, 'openai-evals/battle.yaml'), eval_type: 'cot_classify', grader: { model: 'battle-grader' } });
    const report = JSON.parse(readFileSync(result.outputs.report, 'utf8'));
    expect(report.rows.map((r: any) => r.answers.poet.detail.choice)).toEqual(['Yes', 'No']);
    expect(report.models[0].score).toBe(0.5);
    // The grader saw both answers and openai/evals' answer instructions (eval_type: cot_classify).
    const first = graderPrompts.find((p) => p.includes('[Instruction 1]\nWrite a haiku.'));
    expect(first).toContain('[Instruction 1]\nWrite a haiku.\n[Response 1]\na haiku: old pond, frog\n\n[Instruction 2]\nWrite a limerick.\n[Response 2]\na limerick');
    expect(first).toMatch(/single choice from "Yes" or "No" .*Reasoning:$/s);
    expect(report.graders).toEqual([expect.objectContaining({ model: 'battle-grader', usage: expect.objectContaining({ requests: 2 }) })]);
  });

  it('fact: no choice_scores, so choices are counted and no score is made up; choice_scores can be given', async () => {
    const samples = join(dir, 'fact.jsonl');
    writeFileSync(samples, [{ input: 'Capital of France?', ideal: 'Paris' }, { input: 'Capital of Peru?', ideal: 'Lima' }].map((l) => JSON.stringify(l)).join('\n') + '\n');
    const params = { samples, models: [{ id: 'categoriser', label: 'fine-tuned' }], metric: 'modelgraded', spec: join(fixtures, 'openai-evals/fact.yaml'), grader: { model: 'fact-grader' } };
    await expect(run(params)).rejects.toMatchObject({ code: 'PARAM_INVALID', message: expect.stringContaining('has no eval_type') });
    const counted = JSON.parse(readFileSync((await run({ ...params, eval_type: 'cot_classify' })).outputs.report, 'utf8'));
    expect(counted).toMatchObject({ score_name: 'choice counts', models: [{ score: null, metrics: { spec: 'fact', choice_counts: { D: 2 } } }] });
    await expect(run({ ...params, eval_type: 'cot_classify', min_score: 0.5 })).rejects.toMatchObject({ code: 'PARAM_INVALID', message: expect.stringContaining('thresholds need a score') });
    const scored = JSON.parse(readFileSync((await run({ ...params, eval_type: 'cot_classify', choice_scores: { A: 1, B: 1, C: 1, D: 0, E: 1 } })).outputs.report, 'utf8'));
    expect(scored.models[0].score).toBe(0);
  });

  it('closedqa without spec_args: the missing {criteria} is a located error before any request is sent', async () => {
    const samples = join(dir, 'closedqa.jsonl');
    writeFileSync(samples, JSON.stringify({ input: 'Capital of France?', ideal: 'Paris' }) + '\n');
    const before = { ...calls };
    const params = { samples, models: ['categoriser'], metric: 'modelgraded', spec: join(fixtures, 'openai-evals/closedqa.yaml'), grader: { model: 'fact-grader' } };
    await expect(run(params)).rejects.toMatchObject({ code: 'EVAL_SAMPLES_INVALID', message: expect.stringContaining('closedqa.jsonl:1: the model-graded prompt of "closedqa" uses {criteria}') });
    expect(calls).toEqual(before);
    const ok = JSON.parse(readFileSync((await run({ ...params, spec_args: { criteria: 'correctness: is the answer correct?' } })).outputs.report, 'utf8'));
    expect(ok.rows[0].answers.categoriser.detail).toEqual({ choice: '__invalid__', grader_reply: 'Reasoning.\nD' });
  });
});
