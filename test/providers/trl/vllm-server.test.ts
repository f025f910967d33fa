/**
 * `server: vllm` on a machine that has vLLM in the trl Python and a GPU: a LoRA fine-tune of the tiny model
 * answers through vLLM's OpenAI server, its adapter loaded at runtime. Skipped elsewhere (CI has no GPU and
 * tests the transformers server instead).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import trl from '../../../src/providers/trl.js';
import { isTerminal } from '../../../src/providers/job-mapping.js';
import { driverEnv } from '../../../src/providers/trl/python-env.js';
import { repoRoot } from '../../helpers/project.js';
import { trlStack } from '../../helpers/trl-stack.js';

function vllmWithGpu(): boolean {
  if (!trlStack.python) return false;
  const probe = 'import importlib.util as u, sys\nif u.find_spec("vllm") is None: sys.exit(1)\nimport torch\nsys.exit(0 if torch.cuda.is_available() else 1)';
  return execaSync(trlStack.python, ['-c', probe], { env: driverEnv(process.env), extendEnv: false, reject: false }).exitCode === 0;
}

const ready = vllmWithGpu();
if (!ready) console.log('skipping the vLLM server test: no vLLM with a CUDA GPU in the trl Python (the transformers server is tested instead)');

describe.skipIf(!ready)('trl provider with server: vllm', () => {
  it('serves the base and a LoRA fine-tune through vLLM', { timeout: 900_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-trl-vllm-'));
    const p = await trl.create({ kind: 'trl', server: 'vllm', finetune: 'lora', max_length: 256 }, { workspace: dir, env: process.env });
    try {
      const file = await p.uploadFile(join(repoRoot, 'test/fixtures/trl/log-source-chat.jsonl'), { purpose: 'fine-tune' });
      let job = await p.createJob({ model: 'tiny', trainingFile: file.id, hyperparameters: { n_epochs: 1 }, idempotencyKey: 'vllm' });
      while (!isTerminal(job.status)) {
        await sleep(500);
        job = await p.getJob(job.id);
      }
      expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
      const ask = (model: string) => p.chat({ model, messages: [{ role: 'user', content: 'Log line: sshd[1]: Accepted password' }], max_tokens: 4, temperature: 0 });
      expect((await ask(job.fineTunedModel!)).raw).toMatchObject({ object: 'chat.completion', model: job.fineTunedModel });
      expect((await ask('tiny')).raw).toMatchObject({ object: 'chat.completion' });
    } finally {
      await p.close();
    }
  });
});
