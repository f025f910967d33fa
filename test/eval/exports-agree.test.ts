/**
 * The exports score like ftpipe: the same answers and ideals judged by the eval stage's scorer, by the
 * promptfoo export's assertion module (called as promptfoo calls it: ftpipeAssert(output, context) with
 * the test's assertion config as context.config), and by the Inspect AI task's scorer (real Python:
 * json.loads, re, str.split — so this also checks ftpipe's Python semantics against Python itself).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import evalConvert from '../../stages/eval-convert.js';
import { runStage } from '../helpers/run-stage.js';
import { pythonCanImport } from '../helpers/python.js';
import { createScorer } from '../../src/eval/scorers.js';
import { toEvalSample } from '../../src/eval/eval-sample.js';
import type { MetricName } from '../../src/eval/scorer.js';

type Case = { metric: MetricName; ideal: string | string[]; answers: string[]; ignoreCase?: boolean };

const cases: Case[] = [
  { metric: 'json_match', ideal: '1.0', answers: ['1', '1.0', '1e0', 'true', '"1"', '1.5'] },
  { metric: 'json_match', ideal: '-0', answers: ['0', '0.0', '-0.0', 'false', '-1'] },
  { metric: 'json_match', ideal: '1E2', answers: ['100', '100.0', '1e2', '"1E2"', '1E3'] },
  { metric: 'json_match', ideal: 'null', answers: ['null', '', 'None', '{}'] },
  { metric: 'json_match', ideal: '{"a": [1, true, null]}', answers: ['{"a": [1.0, 1, null]}', '{"a": [1, true]}', '{"a":[1,true,null]}'] },
  { metric: 'json_match', ideal: 'NaN', answers: ['NaN', 'nan', 'null'] },
  { metric: 'json_match', ideal: '-Infinity', answers: ['-Infinity', 'Infinity', '-1e400'] },
  { metric: 'json_match', ideal: '9007199254740993', answers: ['9007199254740992', '9007199254740993', '9007199254740993.0'] },
  { metric: 'json_match', ideal: '{"__proto__": {}, "constructor": 1}', answers: ['{}', '{"constructor": 1}', '{"__proto__": {}, "constructor": 1.0}'] },
  { metric: 'json_match', ideal: ['{"k": 1}', '{"k": 2}'], answers: ['{"k": 2}', '{"k": 3}', 'sure: {"k": 1}'] },
  { metric: 'match', ideal: '', answers: ['', 'anything'] },
  { metric: 'match', ideal: ['Paris', 'paris'], answers: ['Paris!', ' paris', 'PARIS'] },
  { metric: 'includes', ideal: '', answers: ['', 'x'] },
  { metric: 'includes', ideal: 'İstanbul', answers: ['i̇stanbul is big', 'ISTANBUL'], ignoreCase: true },
  { metric: 'includes', ideal: 'Paris', answers: ['in paris', 'in Paris'] },
  { metric: 'fuzzy_match', ideal: '', answers: ['', '...', 'the', 'x', '\ufeff'] },
  { metric: 'fuzzy_match', ideal: 'niño', answers: ['niña', 'El Niño!', 'nino'] },
  { metric: 'fuzzy_match', ideal: 'Paris France', answers: ['paris\x1cfrance', 'paris\ufefffrance', 'The capital: Paris, France.', 'a paris'] },
  { metric: 'classification', ideal: "['proxy', 'transit']", answers: ['["transit","proxy"]', "'proxy'", 'proxy, transit', '[]'] },
  { metric: 'classification', ideal: '', answers: ['', '[]', 'x'] },
];

const pythonReady = pythonCanImport('json', 're');

async function ftpipeVerdict(c: Case, answer: string): Promise<boolean> {
  const scorer = await createScorer({ metric: c.metric, ignoreCase: c.ignoreCase });
  return (await scorer.judge(answer, toEvalSample({ input: 'q', ideal: c.ideal }, 'cases.jsonl', 1))).score === 1;
}

let promptfoo: { tests: Array<{ assert: Array<{ type: string; value: string; config: Record<string, unknown> }> }> };
let ftpipeAssert: (output: string, context: { config: Record<string, unknown> }) => Promise<{ pass: boolean }> | { pass: boolean };
let inspectTask: string;
const dir = mkdtempSync(join(tmpdir(), 'ftpipe-exports-'));

/** One eval-convert run per metric, on chat examples made from the cases. */
async function exportsFor(metric: MetricName, ignoreCase = false) {
  const chat = join(dir, `${metric}.jsonl`);
  const mine = cases.filter((c) => c.metric === metric && (c.ignoreCase ?? false) === ignoreCase);
  writeFileSync(chat, mine.map((c) => JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: Array.isArray(c.ideal) ? c.ideal[0] : c.ideal }] })).join('\n') + '\n');
  return runStage(evalConvert, { params: { input: chat, metric, ignore_case: ignoreCase, promptfoo: true, inspect: true } });
}

beforeAll(async () => {
  const run = await exportsFor('json_match');
  promptfoo = parse(readFileSync(run.outputs.promptfoo, 'utf8'));
  ftpipeAssert = (await import(pathToFileURL(run.outputs.promptfoo_assert).href)).ftpipeAssert;
  inspectTask = run.outputs.inspect_task;
});

describe('exports agree with ftpipe on the edge cases', () => {
  it('promptfoo: each test calls the assertion module with its ideals in config, and the module scores as ftpipe', async () => {
    expect(promptfoo.tests[0].assert).toEqual([{ type: 'javascript', value: 'file://promptfoo_assert.mjs:ftpipeAssert', config: { metric: 'json_match', ideals: ['1.0'] } }]);
    for (const c of cases) {
      const ideals = Array.isArray(c.ideal) ? c.ideal : [c.ideal];
      for (const answer of c.answers) {
        const config = { metric: c.metric, ideals, ...(c.ignoreCase ? { ignore_case: true } : {}) };
        expect((await ftpipeAssert(answer, { config })).pass, `${c.metric} ${JSON.stringify(c.ideal)} vs ${JSON.stringify(answer)}`).toBe(await ftpipeVerdict(c, answer));
      }
    }
  });

  it.skipIf(!pythonReady)('Inspect AI: the task file scores as ftpipe (Python json.loads, re and str.split)', async () => {
    const flat = cases.flatMap((c) => c.answers.map((answer) => ({ metric: c.metric, ideals: Array.isArray(c.ideal) ? c.ideal : [c.ideal], answer, ignore_case: c.ignoreCase ?? false })));
    const driver = [
      'import asyncio, importlib.util, json, sys',
      'spec = importlib.util.spec_from_file_location("task", sys.argv[1]); task = importlib.util.module_from_spec(spec); spec.loader.exec_module(task)',
      'from inspect_ai.scorer import Target',
      'class Out: pass',
      'def run(c):',
      '    task.METRIC, task.IGNORE_CASE = c["metric"], c["ignore_case"]',
      '    state = Out(); state.output = Out(); state.output.completion = c["answer"]',
      '    return asyncio.run(task.openai_evals_metric()(state, Target(c["ideals"]))).value == "C"',
      'print(json.dumps([run(c) for c in json.load(sys.stdin)]))',
    ].join('\n');
    const out = execFileSync('python3', ['-c', driver, inspectTask], { input: JSON.stringify(flat), env: { ...process.env, PYTHONPATH: join(import.meta.dirname, '../fixtures/eval/inspect-stub') } });
    const python = JSON.parse(out.toString()) as boolean[];
    const ours = await Promise.all(cases.flatMap((c) => c.answers.map((answer) => ftpipeVerdict(c, answer))));
    flat.forEach((c, i) => expect(python[i], `${c.metric} ${JSON.stringify(c.ideals)} vs ${JSON.stringify(c.answer)}`).toBe(ours[i]));
  });

  it("Inspect AI samples: Inspect's dataset fields, one per eval sample", async () => {
    const run = await exportsFor('fuzzy_match');
    const lines = readFileSync(run.outputs.inspect_samples, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[1]).toEqual({ id: 'line-2', input: [{ role: 'user', content: 'q' }], target: 'niño', metadata: { line: 2 } });
    expect(readFileSync(run.outputs.inspect_task, 'utf8')).toContain('METRIC = "fuzzy_match"');
  });
});
