/**
 * `ftpipe import-cfg`: the three .cfg files of the original scripts → one recipe. Keys keep their names;
 * openai_api_key is dropped with a warning (keys come from the environment).
 */
import { stringify } from 'yaml';
import { cfgNumber, readCfg, type CfgValues } from './cfg-file.js';

export interface ImportCfgOptions {
  dataProcess?: string;
  train?: string;
  infer?: string;
  input?: string;
  name?: string;
  provider?: string;
  warn?: (message: string) => void;
}

export function importCfg(options: ImportCfgOptions): string {
  const warn = options.warn ?? ((m) => process.stderr.write(`warning: ${m}\n`));
  const read = (file?: string): CfgValues => {
    if (!file) return { values: {}, dropped: [] };
    const cfg = readCfg(file);
    for (const d of cfg.dropped) warn(`${file}:${d.line}: ${d.key} dropped: never put a key in a recipe; set OPENAI_API_KEY in the environment (or .env) instead`);
    return cfg;
  };
  const data = read(options.dataProcess).values;
  const train = read(options.train).values;
  const infer = read(options.infer).values;
  const model = train.model ?? 'gpt-4o-mini-2024-07-18';
  const sysPrompt = data.sys_prompt ?? infer.sys_prompt;
  const stages: Record<string, unknown> = {
    convert: { uses: 'conversations', with: clean({ input: options.input ?? 'data/input.json', sys_prompt: sysPrompt, task_type: data.task_type ?? 'answering' }) },
    validate: { uses: 'validate', with: { input: '${{ stages.convert.outputs.data }}', model } },
    split: { uses: 'split', with: { input: '${{ stages.convert.outputs.data }}', validation_ratio: 0.2, seed: 42 } },
    'upload-train': { uses: 'upload', with: { input: '${{ stages.split.outputs.train }}' } },
    'upload-validation': { uses: 'upload', with: { input: '${{ stages.split.outputs.validation }}' } },
    train: {
      uses: 'train',
      needs: ['validate'],
      with: clean({
        model,
        training_file: '${{ stages.upload-train.outputs.file_id }}',
        validation_file: '${{ stages.upload-validation.outputs.file_id }}',
        n_epochs: cfgNumber(train.n_epochs),
        batch_size: cfgNumber(train.batch_size),
        learning_rate_multiplier: cfgNumber(train.learning_rate_multiplier),
      }),
    },
    wait: { uses: 'wait', with: { job_id: '${{ stages.train.outputs.job_id }}' } },
    infer: {
      uses: 'infer',
      with: clean({
        model: '${{ stages.wait.outputs.fine_tuned_model }}',
        sys_prompt: infer.sys_prompt ?? sysPrompt,
        user_input: infer.user_input,
        max_tokens: cfgNumber(infer.max_tokens),
        temperature: cfgNumber(infer.temperature),
      }),
    },
  };
  const recipe = {
    name: options.name ?? 'imported',
    description: `Imported by ftpipe import-cfg from ${[options.dataProcess, options.train, options.infer].filter(Boolean).join(', ')}`,
    provider: { kind: options.provider ?? 'local' },
    stages,
  };
  const notes = [
    '# yaml-language-server: $schema=https://ftpipe.dev/schemas/pipeline.schema.json',
    train.training_file ? `# train.cfg training_file = ${train.training_file}: produced here by the convert stage` : undefined,
    train.validation_file ? `# train.cfg validation_file = ${train.validation_file}: produced here by the split stage (validation side)` : undefined,
    infer.ft_job_id || infer.model ? `# infer.cfg ft_job_id/model: the infer stage uses the model this recipe fine-tunes` : undefined,
    '# provider: local runs offline; use `--provider openai` (with OPENAI_API_KEY set) for OpenAI',
  ].filter(Boolean);
  return notes.join('\n') + '\n' + stringify(recipe, { lineWidth: 0 });
}

function clean(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
