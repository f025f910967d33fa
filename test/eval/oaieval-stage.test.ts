import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import oaievalStage from '../../stages/oaieval.js';
import evalConvert from '../../stages/eval-convert.js';
import { runStage } from '../helpers/run-stage.js';
import { pythonCanImport } from '../helpers/python.js';
import { createProvider } from '../../src/providers/index.js';
import type { Provider } from '../../src/providers/types.js';
import { oaievalEndpoint } from '../../src/eval/oaieval-endpoint.js';
import { readOaievalRecord } from '../../src/eval/oaieval-record.js';
import { baseModelId, trainModel } from './local-model.js';
import { writeHdfsExamples } from './hdfs-examples.js';

// A Python stand-in that loads the registry with openai/evals 3.0.1's constructor arguments.
const fakeOaieval = join(import.meta.dirname, '../fixtures/eval/oaieval-standin/oaieval');
const pythonWithYaml = pythonCanImport('yaml');
const workspace = mkdtempSync(join(tmpdir(), 'ftpipe-oaieval-'));
let provider: Provider;
let tuned: string;
let samples: string;

beforeAll(async () => {
  // The local provider exactly as a recipe gets it (kind: local, state under the workspace).
  provider = await createProvider({ kind: 'local' }, { workspace, env: {} });
  const train = join(workspace, 'train.jsonl');
  writeHdfsExamples(train, { skip: 0, perClass: 12 });
  tuned = await trainModel(provider, train, 'oaieval-test');
  const evalSet = join(workspace, 'eval.jsonl');
  writeHdfsExamples(evalSet, { skip: 30, perClass: 3 });
  samples = (await runStage(evalConvert, { params: { input: evalSet } })).outputs.data;
});
afterAll(async () => provider?.close());

describe.skipIf(!pythonWithYaml)('oaieval stage', () => {
  it('writes a registry, runs oaieval per model against the local provider and reads the final reports', async () => {
    const run = await runStage(oaievalStage, {
      workspace,
      provider,
      params: { samples, models: [baseModelId, tuned], metric: 'match', name: 'hdfs-components', max_samples: 8, temperature: 0, oaieval_bin: fakeOaieval },
    });
    const registry = join(run.workdir, 'out', 'registry');
    const evals = parse(readFileSync(join(registry, 'evals/hdfs-components.yaml'), 'utf8'));
    expect(evals).toEqual({
      'hdfs-components': { id: 'hdfs-components.dev.v0', description: 'ftpipe eval hdfs-components (match)', metrics: ['accuracy'] },
      'hdfs-components.dev.v0': { class: 'evals.elsuite.basic.match:Match', args: { samples_jsonl: 'hdfs-components/samples.jsonl' } },
    });
    expect(readFileSync(join(registry, 'data/hdfs-components/samples.jsonl'), 'utf8')).toBe(readFileSync(samples, 'utf8'));
    const fns = readdirSync(join(registry, 'completion_fns')).sort();
    expect(fns).toEqual(['ftpipe-hdfs-components-base.yaml', 'ftpipe-hdfs-components-fine-tuned.yaml']);
    // openai/evals builds registry completion functions as cls(**args, registry=…): its own OpenAIChatCompletionFn
    // takes no registry argument, so the registry names ftpipe's module, which the stand-in imports and constructs.
    expect(parse(readFileSync(join(registry, 'completion_fns', fns[1]), 'utf8'))).toEqual({
      'ftpipe-hdfs-components-fine-tuned': { class: 'ftpipe_completion_fns:ChatCompletionFn', args: { model: tuned, extra_options: { temperature: 0 } } },
    });
    expect(readFileSync(join(registry, 'ftpipe_completion_fns.py'), 'utf8')).toContain('def __init__(self, model: str, extra_options: Optional[dict] = None, registry: Any = None):');

    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'));
    expect(report.runner).toBe('oaieval');
    const [base, ft] = report.models;
    expect(base).toMatchObject({ label: 'base', score: 0, samples: 8 });
    expect(ft.score).toBeGreaterThan(0.5);
    expect(ft.metrics).toEqual({ accuracy: ft.score, boostrap_std: 0 });
    expect(report.rows).toHaveLength(8);
    expect(report.rows[0].answers.base.answer).toMatch(/untrained local base model/);
    expect((run.result as any).summary).toMatch(/^oaieval: accuracy base 0\.00 → fine-tuned/);
  });

  it('says how to install oaieval when it is missing', async () => {
    await expect(runStage(oaievalStage, { workspace, provider, params: { samples, models: [tuned], oaieval_bin: 'oaieval-not-installed-here' } })).rejects.toMatchObject({
      code: 'OAIEVAL_NOT_FOUND',
      hint: expect.stringContaining('pip install evals'),
    });
  });

  it('rejects metrics oaieval has no eval for, and a failing oaieval shows its output', async () => {
    await expect(runStage(oaievalStage, { workspace, provider, params: { samples, models: [tuned], metric: 'classification', oaieval_bin: fakeOaieval } })).rejects.toMatchObject({ code: 'PARAM_INVALID' });
    await expect(runStage(oaievalStage, { workspace, provider, params: { samples, models: [tuned], metric: 'fuzzy_match', oaieval_bin: fakeOaieval } })).rejects.toMatchObject({
      code: 'OAIEVAL_FAILED',
      message: expect.stringContaining('runs Match, Includes and ModelBasedClassify evals only'),
    });
  });

  it("a registry naming openai/evals' OpenAIChatCompletionFn does not load (it takes no registry argument)", () => {
    const registry = mkdtempSync(join(tmpdir(), 'ftpipe-oaieval-old-'));
    for (const dir of ['evals', 'completion_fns', 'modelgraded', 'data/x']) execFileSync('mkdir', ['-p', join(registry, dir)]);
    writeFileSync(join(registry, 'evals/x.yaml'), 'x: {id: x.dev.v0}\nx.dev.v0: {class: "evals.elsuite.basic.match:Match", args: {samples_jsonl: x/samples.jsonl}}\n');
    writeFileSync(join(registry, 'completion_fns/old.yaml'), 'old: {class: "evals.completion_fns.openai:OpenAIChatCompletionFn", args: {model: ft-model}}\n');
    writeFileSync(join(registry, 'data/x/samples.jsonl'), '');
    let stderr = '';
    try {
      execFileSync(fakeOaieval, ['old', 'x', '--registry_path', registry, '--record_path', join(registry, 'r.jsonl')], { stdio: 'pipe', env: { ...process.env, OPENAI_BASE_URL: 'http://127.0.0.1:9', OPENAI_API_KEY: 'x' } });
    } catch (error) {
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(stderr).toContain("unexpected keyword argument 'registry'");
  });

  it('modelgraded: the grader is its own completion function, last, as ModelBasedClassify expects', async () => {
    const run = await runStage(oaievalStage, {
      workspace,
      provider,
      params: { samples, models: [{ id: tuned, label: 'fine-tuned' }], metric: 'modelgraded', name: 'graded', spec: join(import.meta.dirname, '../fixtures/eval/json_error_categorization.yaml'), grader: { model: baseModelId, max_tokens: 64 }, max_samples: 2, oaieval_bin: fakeOaieval },
    });
    const registry = join(run.workdir, 'out', 'registry');
    expect(parse(readFileSync(join(registry, 'evals/graded.yaml'), 'utf8'))['graded.dev.v0']).toEqual({
      class: 'evals.elsuite.modelgraded.classify:ModelBasedClassify',
      args: { samples_jsonl: 'graded/samples.jsonl', modelgraded_spec: 'json_error_categorization', eval_kwargs: { max_tokens: 64, temperature: 0 } },
    });
    expect(parse(readFileSync(join(registry, 'completion_fns/ftpipe-graded-grader.yaml'), 'utf8'))).toEqual({ 'ftpipe-graded-grader': { class: 'ftpipe_completion_fns:ChatCompletionFn', args: { model: baseModelId } } });
    expect(existsSync(join(registry, 'modelgraded/json_error_categorization.yaml'))).toBe(true);
    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'));
    expect(report.models[0]).toMatchObject({ label: 'fine-tuned', score: 0, samples: 2 }); // the untrained grader never names a choice
    expect(report.score_name).toBe('score');
  });

  it('passes the API key of real providers through the environment only', async () => {
    const asProvider = (identity: object) => ({ identity }) as never;
    const endpoint = await oaievalEndpoint(asProvider({ kind: 'openai-compatible', baseUrl: 'https://llm.example/v1' }), { env: { OPENAI_API_KEY: 'sk-secret' } });
    expect(endpoint.env).toEqual({ OPENAI_BASE_URL: 'https://llm.example/v1' });
    await expect(oaievalEndpoint(asProvider({ kind: 'openai' }), { env: {} })).rejects.toMatchObject({ code: 'PROVIDER_KEY_MISSING' });
  });

  it('reads modelgraded final reports (score/…) and rejects records without a final report', async () => {
    const file = join(workspace, 'record.jsonl');
    writeFileSync(file, [{ spec: {} }, { sample_id: 'x.dev.v0.1', type: 'metrics', data: { choice: 'Y', score: 1 } }, { final_report: { 'counts/choice/Y': 1, 'score/choice': 1 } }].map((l) => JSON.stringify(l)).join('\n'));
    const record = await readOaievalRecord(file, 'x.dev.v0');
    expect(record.samples.get(1)).toEqual({ score: 1 });
    writeFileSync(file, JSON.stringify({ spec: {} }) + '\n');
    await expect(readOaievalRecord(file, 'x.dev.v0')).rejects.toMatchObject({ code: 'OAIEVAL_RECORD_INVALID' });
  });
});
