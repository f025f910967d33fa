/**
 * `ftpipe cache gc` also collects the local provider's models and checkpoints that nothing refers to:
 * after a retrain, the first job's model and checkpoints go, the model the lock names stays (and still
 * answers), a folder a running server uses is left alone.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject } from '../helpers/project.js';
import { logSourceExamples } from '../local/helpers/loghub-examples.js';
import { startServe } from '../local/helpers/serve-process.js';

const recipe = (epochs: number) => `name: gc-local
provider:
  kind: local
stages:
  upload:
    uses: upload
    with:
      input: data/train.jsonl
  train:
    uses: train
    with:
      model: gpt-4o-mini-2024-07-18
      training_file: \${{ stages.upload.outputs.file_id }}
      n_epochs: ${epochs}
      seed: 1
  wait:
    uses: wait
    with:
      job_id: \${{ stages.train.outputs.job_id }}
`;

describe('ftpipe cache gc and the local provider', () => {
  it('deletes the models and checkpoints no lock entry refers to, keeps the locked model', async () => {
    const p = makeProject({ 'recipe.yaml': recipe(2), 'data/train.jsonl': logSourceExamples({ perSystem: 5 }).map((e) => JSON.stringify(e)).join('\n') + '\n' });
    const modelsDir = join(p.root, '.ftpipe', 'local-provider', 'models');
    const models = () => readdirSync(modelsDir).filter((n) => n.endsWith('.json')).map((n) => decodeURIComponent(n.slice(0, -5))).sort();
    expect((await p.run(['run', 'recipe.yaml'])).code).toBe(0);
    const first = models();
    expect(first.filter((m) => m.includes(':ckpt-step-'))).toHaveLength(2);
    p.write('recipe.yaml', recipe(3));
    expect((await p.run(['run', 'recipe.yaml'])).code).toBe(0);
    const locked = /fine_tuned_model:\n\s+value: (\S+)/.exec(p.read('ftpipe.lock'))![1];
    expect(models()).toHaveLength(first.length + 4);

    const dry = await p.run(['cache', 'gc', '--keep-days', '0', '--dry-run']);
    expect(dry.stdout).toContain('would delete 6 local-provider model(s) and checkpoint(s)');
    expect(models()).toHaveLength(first.length + 4);
    const gc = await p.run(['cache', 'gc', '--keep-days', '0']);
    expect(gc.code, gc.stderr).toBe(0);
    expect(gc.stdout).toContain('deleted 6 local-provider model(s) and checkpoint(s)');
    expect(models()).toEqual([locked]);

    // The locked model still answers, and the recipe is still up to date.
    const rerun = await p.run(['run', 'recipe.yaml']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).not.toMatch(/ ran( |$)/m);
    const serve = await startServe(['--data-dir', join(p.root, '.ftpipe', 'local-provider')]);
    try {
      const busy = await p.run(['cache', 'gc', '--keep-days', '0']);
      expect(busy.stdout).toMatch(/skipped \.ftpipe\/local-provider \(in use by process \d+\)/);
      const answer = await fetch(`${serve.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${serve.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: locked, messages: [{ role: 'user', content: 'session opened for user root' }] }),
      });
      expect(answer.status).toBe(200);
    } finally {
      await serve.stop();
    }
  });
});
