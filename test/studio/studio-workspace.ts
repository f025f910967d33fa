/**
 * A temp workspace shaped like one after `ftpipe run`: a recipe, a JSONL dataset made from real Loghub
 * lines, a real validate report (the validate stage run on it), ftpipe.lock, last.json, the wait stage's
 * metrics.csv and events.jsonl, and an eval report.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import validate from '../../stages/validate.js';
import { runStage } from '../helpers/run-stage.js';
import { stageOutputDir } from '../../src/run/output-paths.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const RECIPE_NAME = 'pipelines/demo.yaml';
const SYSTEM = 'You triage logs. Answer with the name of the system that wrote the log line, nothing else.';

export interface StudioWorkspace {
  root: string;
  recipe: string;
  dataset: string;
  /** Lines of the dataset as written (each with its "\n"). */
  lines: string[];
}

export async function makeStudioWorkspace(options: { fineTunedModel?: string } = {}): Promise<StudioWorkspace> {
  const root = mkdtempSync(join(tmpdir(), 'ftpipe-studio-'));
  mkdirSync(join(root, 'pipelines'));
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'pipelines', 'demo.yaml'), RECIPE);
  writeFileSync(join(root, 'ftpipe.lock'), lockFile(options.fineTunedModel ?? 'ft:local:studio-test:abc123'));

  const lines: string[] = [];
  for (const system of ['Linux', 'OpenSSH', 'Apache']) {
    const rows = parse(readFileSync(join(fixtures, 'csv', `loghub-${system}_2k.log_structured.csv`)), { columns: true }) as Array<Record<string, string>>;
    for (const row of rows.slice(0, 40)) {
      lines.push(JSON.stringify({ messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: `Log line: ${row.Content}` }, { role: 'assistant', content: system }] }) + '\n');
    }
  }
  // Line 5 has no user message: the validate stage reports it (a finding the Data page must show).
  lines[4] = JSON.stringify({ messages: [{ role: 'system', content: SYSTEM }, { role: 'assistant', content: 'Linux' }] }) + '\n';
  const dataset = join(root, 'data', 'train.jsonl');
  writeFileSync(dataset, lines.join(''));

  const validated = await runStage(validate, { params: { input: dataset, model: 'gpt-4o-mini-2024-07-18' }, workspace: root });
  mkdirSync(stageOutputDir(root, RECIPE_NAME, 'validate'), { recursive: true });
  copyFileSync(validated.outputs.report, join(stageOutputDir(root, RECIPE_NAME, 'validate'), 'report.json'));

  const waitDir = stageOutputDir(root, RECIPE_NAME, 'wait');
  mkdirSync(waitDir, { recursive: true });
  const metrics = ['step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy'];
  for (let step = 1; step <= 30; step++) {
    const loss = 2.2 * Math.exp(-step / 8) + 0.05;
    metrics.push([step, loss.toFixed(4), (1 - loss / 2.5).toFixed(4), step % 5 === 0 ? (loss + 0.1).toFixed(4) : '', step % 5 === 0 ? (0.9 - loss / 3).toFixed(4) : ''].join(','));
  }
  writeFileSync(join(waitDir, 'metrics.csv'), metrics.join('\n') + '\n');
  const events = [
    { id: 'ev-1', createdAt: 1_767_000_000, level: 'info', message: 'Validating training file' },
    { id: 'ev-2', createdAt: 1_767_000_010, level: 'info', message: 'Fine-tuning job started' },
    { id: 'ev-3', createdAt: 1_767_000_100, level: 'info', message: 'The job has successfully completed' },
  ];
  writeFileSync(join(waitDir, 'events.jsonl'), events.map((e) => JSON.stringify(e) + '\n').join(''));

  // The run-cache record of the validate stage's lock key: the run that really made its report (cached since).
  const validateKey = 'a'.repeat(64);
  mkdirSync(join(root, '.ftpipe', 'runs', 'cache', 'aa'), { recursive: true });
  writeFileSync(join(root, '.ftpipe', 'runs', 'cache', 'aa', `${validateKey}.json`), JSON.stringify({ key: validateKey, uses: 'validate', version: 1, params: {}, inputs: [], outputs: {}, createdAt: '2026-11-19T09:30:00.000Z' }));
  const stages = {
    validate: { state: 'cached', durationMs: 0, summary: '119 valid of 120 examples' },
    upload: { state: 'ran', durationMs: 420, summary: 'file-1' },
    train: { state: 'ran', durationMs: 1300, summary: 'job ftjob-1' },
    wait: { state: 'ran', durationMs: 8200, summary: 'succeeded' },
    eval: { state: 'failed', durationMs: 900, error: 'accuracy 0.40 is below the threshold 0.8' },
  };
  writeFileSync(join(root, '.ftpipe', 'runs', 'last.json'), JSON.stringify({ 'pipelines/demo.yaml': { startedAt: '2026-11-20T10:00:00.000Z', finishedAt: '2026-11-20T10:00:11.000Z', stages } }));

  mkdirSync(stageOutputDir(root, RECIPE_NAME, 'eval'), { recursive: true });
  writeFileSync(join(stageOutputDir(root, RECIPE_NAME, 'eval'), 'report.json'), JSON.stringify(EVAL_REPORT));
  return { root, recipe: join(root, 'pipelines', 'demo.yaml'), dataset, lines };
}

const RECIPE = `name: studio-demo
provider:
  kind: local
stages:
  validate:
    uses: validate
    with:
      input: data/train.jsonl
      model: gpt-4o-mini-2024-07-18
  upload:
    uses: upload
    with:
      training_file: data/train.jsonl
    needs: [validate]
  train:
    uses: train
    with:
      model: gpt-4o-mini-2024-07-18
      training_file: \${{ stages.upload.outputs.file_id }}
  wait:
    uses: wait
    with:
      ft_job_id: \${{ stages.train.outputs.job_id }}
  eval:
    uses: eval
    with:
      model: \${{ stages.wait.outputs.fine_tuned_model }}
`;

function lockFile(fineTuned: string): string {
  return `# generated by ftpipe; commit it, do not edit
schema: 1
pipelines:
  pipelines/demo.yaml:
    stages:
      validate:
        uses: validate
        version: 1
        key: ${'a'.repeat(64)}
        outputs:
          report: { digest: "sha256:${'b'.repeat(64)}", size: 100 }
      wait:
        uses: wait
        version: 1
        key: ${'c'.repeat(64)}
        outputs:
          fine_tuned_model: { value: "${fineTuned}" }
`;
}

// Shaped like the eval stage's report (src/eval/eval-report.ts) with classification metrics.
const BASE = 'gpt-4o-mini-2024-07-18';
const TUNED = 'ft:local:studio-test:abc123';
const labelsOf = (linux: number[], openssh: number[]) => ({
  Linux: { precision: linux[0], recall: linux[1], f1: linux[2], support: 2 },
  OpenSSH: { precision: openssh[0], recall: openssh[1], f1: openssh[2], support: 1 },
});
const EVAL_REPORT = {
  metric: 'classification',
  score_name: 'accuracy',
  bootstrap: { resamples: 1000, seed: 0, confidence: 0.95 },
  models: [
    { id: BASE, label: 'base', score: 1 / 3, interval: [0, 1], samples: 3, metrics: { accuracy: 1 / 3, labels: labelsOf([0.5, 0.5, 0.5], [0, 0, 0]), macro: { precision: 0.25, recall: 0.25, f1: 0.25 }, micro: { precision: 0.33, recall: 0.33, f1: 0.33 }, weighted: { precision: 0.33, recall: 0.33, f1: 0.33 }, confusion: { Linux: { Linux: 1, 'linux kernel': 1 }, OpenSSH: { Linux: 1 } } } },
    { id: TUNED, label: 'fine-tuned', score: 2 / 3, interval: [0.33, 1], samples: 3, usage: { requests: 3, sent: 3, cached: 0, prompt_tokens: 1234, completion_tokens: 56, without_usage: 0, cost_usd: 0.0012, cost_usd_sent: 0.0012 }, latency: { mean_ms: 400, p50_ms: 380, p95_ms: 700, max_ms: 700 }, metrics: { accuracy: 2 / 3, labels: labelsOf([1, 0.5, 0.67], [1, 1, 1]), macro: { precision: 1, recall: 0.75, f1: 0.83 }, micro: { precision: 1, recall: 0.67, f1: 0.8 }, weighted: { precision: 1, recall: 0.67, f1: 0.78 }, confusion: { Linux: { Linux: 1, 'Linux kernel': 1 }, OpenSSH: { OpenSSH: 1 } } } },
  ],
  comparison: { base: 'base', candidate: 'fine-tuned', base_score: 1 / 3, candidate_score: 2 / 3, difference: 1 / 3, interval: [-0.33, 1] },
  rows: [
    { file: 'data/eval.jsonl', line: 1, input: [{ role: 'user', content: 'Log line: session opened for user root' }], ideal: 'Linux', answers: { base: { answer: 'Linux', score: 1 }, 'fine-tuned': { answer: 'Linux', score: 1 } } },
    { file: 'data/eval.jsonl', line: 2, input: [{ role: 'user', content: 'Log line: Failed password for invalid user admin' }], ideal: 'OpenSSH', answers: { base: { answer: 'Linux', score: 0 }, 'fine-tuned': { answer: 'OpenSSH', score: 1 } } },
    // Different answers, the same verdict: not a disagreement.
    { file: 'data/eval.jsonl', line: 3, input: [{ role: 'user', content: 'Log line: kernel: Out of memory' }], ideal: 'Linux', answers: { base: { answer: 'linux kernel', score: 0 }, 'fine-tuned': { answer: 'Linux kernel', score: 0 } } },
  ],
};
