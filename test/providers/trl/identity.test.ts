/** Which trl block fields enter stage keys: the ones that change the trained model, whatever their JSON type. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { identifyProvider } from '../../../src/verbs/provider-factory.js';

it('training knobs (numbers, booleans, lists) enter the identity; where it runs does not', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'ftpipe-trl-id-'));
  const base = await identifyProvider({ kind: 'trl', base_model: 'Qwen/Qwen2.5-0.5B-Instruct' }, ws);
  expect(base).toEqual({ kind: 'trl', base_model: 'Qwen/Qwen2.5-0.5B-Instruct', instance: expect.stringMatching(/^[0-9a-f]{12}$/) });
  const tuned = await identifyProvider({ kind: 'trl', base_model: 'Qwen/Qwen2.5-0.5B-Instruct', lora_r: 8, packing: true, target_modules: ['q_proj', 'v_proj'] }, ws);
  expect(tuned).toMatchObject({ lora_r: '8', packing: 'true', target_modules: '["q_proj","v_proj"]', instance: base.instance });
  const elsewhere = await identifyProvider({ kind: 'trl', base_model: 'Qwen/Qwen2.5-0.5B-Instruct', launcher: 'torchrun', num_processes: 2, server: 'vllm', python: '/opt/py' }, ws);
  expect(elsewhere).toEqual(base);
});
