/**
 * Bad input on the hosted providers, through the real CLI against the emulators: a missing key names
 * its variable; a wrong account or model gives the provider's own message plus a hint; a dataset the
 * provider refuses shows its reasons with the line; and what was created before the refusal is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, type Project } from '../helpers/project.js';
import type { LocalServer } from '../../src/local/server.js';
import { tempWorkspace, writeTrainingFile } from '../remote/local-fixture.js';
import { ACCOUNT, TOKEN, fireworks8b, startEmulator, together8b } from '../hosted/emulator-fixture.js';

let together: LocalServer;
let fireworks: LocalServer;
const good = readFileSync(writeTrainingFile(tempWorkspace(), 12));
const badLine3 = Buffer.concat([good.subarray(0, nthNewline(good, 2) + 1), Buffer.from('{"messages":[{"role":"wizard","content":"hi"},{"role":"assistant","content":"error"}]}\n'), good.subarray(nthNewline(good, 2) + 1)]);

beforeAll(async () => {
  together = await startEmulator('together');
  fireworks = await startEmulator('fireworks');
});
afterAll(async () => {
  await together.close();
  await fireworks.close();
});

function project(provider: string, options: { model?: string; data?: Buffer } = {}): Project {
  const train = options.model ? `  train:\n    uses: train\n    with: { model: "${options.model}", training_file: "\${{ stages.up.outputs.file_id }}", n_epochs: 1 }\n` : '';
  return makeProject({ 'data/train.jsonl': (options.data ?? good).toString(), 'r.yaml': `${provider}\nstages:\n  up:\n    uses: upload\n    with: { input: data/train.jsonl }\n${train}` });
}

describe('bad input on together and fireworks', () => {
  it('a missing key names the variable to set', async () => {
    for (const [line, variable] of [[`provider: { kind: together, base_url: "${together.url}" }`, 'TOGETHER_API_KEY'], [`provider: { kind: fireworks, account: ${ACCOUNT}, base_url: "${fireworks.url}" }`, 'FIREWORKS_API_KEY']]) {
      const r = await project(line).run(['run', 'r.yaml'], { env: { [variable]: '' } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`needs the environment variable ${variable}, which is not set`);
      expect(r.stderr).toContain(`export ${variable}=`);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('a wrong Fireworks account gives Fireworks\' message and says which block field to fix', async () => {
    const r = await project(`provider: { kind: fireworks, account: someone-else, base_url: "${fireworks.url}" }`).run(['run', 'r.yaml'], { env: { FIREWORKS_API_KEY: TOKEN } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('403 PERMISSION_DENIED: Permission denied: account "someone-else" does not exist or your API key has no access to it.');
    expect(r.stderr).toContain('check provider.account ("someone-else")');
  });

  it('a model the provider does not fine-tune gives its message plus a hint', async () => {
    const t = await project(`provider: { kind: together, base_url: "${together.url}" }`, { model: 'gpt-4o-mini-2024-07-18' }).run(['run', 'r.yaml'], { env: { TOGETHER_API_KEY: TOKEN } });
    expect(t.code).toBe(1);
    expect(t.stderr).toContain('The model gpt-4o-mini-2024-07-18 is not supported for fine-tuning.');
    expect(t.stderr).toContain('pick a model Together fine-tunes');
    const f = await project(`provider: { kind: fireworks, account: ${ACCOUNT}, base_url: "${fireworks.url}" }`, { model: together8b }).run(['run', 'r.yaml'], { env: { FIREWORKS_API_KEY: TOKEN } });
    expect(f.code).toBe(1);
    expect(f.stderr).toContain(`base model "${together8b}" is not tunable`);
    expect(f.stderr).toContain(`e.g. ${fireworks8b}`);
  });

  it('Together\'s own file check refuses a bad line before uploading, naming the line', async () => {
    const p = project(`provider: { kind: together, base_url: "${together.url}" }`, { data: badLine3 });
    const before = together.requestCounts()['POST /v1/files/upload'] ?? 0;
    const r = await p.run(['run', 'r.yaml'], { env: { TOGETHER_API_KEY: TOKEN } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Together's file check refused train\.jsonl \(line 3\): .*line 3/);
    expect(r.stderr).toContain('fix line 3 of');
    expect(together.requestCounts()['POST /v1/files/upload'] ?? 0).toBe(before);
  });

  it('Fireworks refuses a bad dataset with the line; the dataset it created is recorded', async () => {
    const p = project(`provider: { kind: fireworks, account: ${ACCOUNT}, base_url: "${fireworks.url}" }`, { data: badLine3 });
    const r = await p.run(['run', 'r.yaml'], { env: { FIREWORKS_API_KEY: TOKEN } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Fireworks rejected ftpipe-[0-9a-f]{16}-train\.jsonl \(dataset ftpipe-[0-9a-f]{40}\): invalid dataset .*: line 3: message 1 has role "wizard"/);
    const dataset = /dataset (ftpipe-[0-9a-f]{40})/.exec(r.stderr)![1];
    const states = readdirSync(join(p.root, '.ftpipe/state/stages')).map((f) => readFileSync(join(p.root, '.ftpipe/state/stages', f), 'utf8'));
    expect(states.some((s) => s.includes(dataset))).toBe(true); // recorded the moment it existed
  });
});

function nthNewline(buffer: Buffer, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) at = buffer.indexOf(10, at + 1);
  return at;
}
