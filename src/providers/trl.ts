/**
 * kind: trl — self-hosted fine-tuning of open models with TRL + PEFT (LoRA by default) on this machine or a
 * cluster (torchrun / accelerate, DeepSpeed, FSDP), through the small Python driver in python/ftpipe_trl.
 * Jobs are detached processes that survive ftpipe; their state lives in <data_dir>/jobs, keyed by stage key.
 */
import { defineProviderAdapter } from './adapter.js';
import { instanceId } from './instance-id.js';
import { resolveTrlConfig, trlBlockProperties, trlIdentityFields } from './trl/block.js';

export default defineProviderAdapter({
  kind: 'trl',
  description: 'Self-hosted training of open models (Hugging Face ids, local directories, or the offline tiny model) with TRL + PEFT, launched by python, torchrun or accelerate; chat through a local transformers or vLLM server.',
  block: { properties: trlBlockProperties },
  pricing: 'free',
  identityFields: trlIdentityFields,
  // Jobs and models live in this workspace's data_dir: the instance id keeps a fresh clone from trusting ids it lacks.
  identifyInWorkspace: (config, workspace, options) => ({ instance: instanceId(resolveTrlConfig(config, workspace).dataDir, options) }),
  describeTraining: async (config, options) => (await import('./trl/training-outlook.js')).trainingOutlook(config, options),
  async create(config, { workspace, env }) {
    const [{ checkTrlBlock }, { choosePython }, { TrlProvider }] = await Promise.all([import('./trl/block-check.js'), import('./trl/python-env.js'), import('./trl/trl-provider.js')]);
    await checkTrlBlock(config);
    const resolved = resolveTrlConfig(config, workspace);
    const python = choosePython({ configured: resolved.python, env });
    return new TrlProvider({ config: resolved, python, env, instance: instanceId(resolved.dataDir) });
  },
});
