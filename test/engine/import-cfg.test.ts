import { describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, repoRoot } from '../helpers/project.js';

describe('import-cfg', () => {
  it('turns the original .cfg files into a recipe that lints and runs its data stages', async () => {
    const p = makeProject({});
    cpSync(join(repoRoot, 'test/fixtures/cfg'), join(p.root, 'cfg'), { recursive: true });
    cpSync(join(repoRoot, 'test/fixtures/sharegpt/fastchat-dummy-conversation.json'), join(p.root, 'data/chats.json'));
    const r = await p.run(['import-cfg', '--data-process', 'cfg/data_process.cfg', '--train', 'cfg/train.cfg', '--infer', 'cfg/infer.cfg', '--input', 'data/chats.json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('cfg/train.cfg:1: openai_api_key dropped');
    expect(r.stderr).toContain('set OPENAI_API_KEY');
    expect(r.stdout).not.toMatch(/openai_api_key|<ft_job_id>|<fted_model_name>/);
    expect(r.stdout).toContain('task_type: classification');
    expect(r.stdout).toContain('learning_rate_multiplier: 2');
    expect(r.stdout).toContain('user_input: please give me a number between 0 and 10');
    p.write('pipelines/imported.yaml', r.stdout);
    const lint = await p.run(['lint', 'pipelines/imported.yaml']);
    expect(lint.stderr).toBe('');
    expect(lint.code).toBe(0);
    const run = await p.run(['run', 'pipelines/imported.yaml', '--until', 'split']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ convert ran');
    expect(run.stdout).toContain('✓ split ran');
  });

  it('a malformed cfg line is reported with its line', async () => {
    const p = makeProject({ 'bad.cfg': 'sys_prompt = hi\nthis line has no equals\n' });
    const r = await p.run(['import-cfg', '--data-process', 'bad.cfg']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.cfg:2: expected "key = value"');
  });
});
