/**
 * The stage key binds each input's name (its workspace path, or the upstream output it references) to its
 * digest (issue 11 item 1): inputs that swap contents are a change, never a cache hit with wrong outputs.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { makeProject, type Project } from '../helpers/project.js';
import { legacyStageKey } from '../../src/run/stage-key.js';

const fixture = (system: string, rows: number) =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'csv', `loghub-${system}_2k.log_structured.csv`), 'utf8').split('\n').slice(0, rows + 1).join('\n') + '\n';

const INGEST = `stages:
  logs:
    uses: ingest-csv
    with:
      input: [data/loghub-Apache.csv, data/loghub-Linux.csv]
      user: "Log line: {Content}"
      assistant: "{system}"
      file_pattern: "^loghub-(?<system>[A-Za-z]+)"
`;

/** Each example's label (from the file name) and the log line it was made from. */
function labelled(jsonl: string): Array<[string, string]> {
  return jsonl.trim().split('\n').map((line) => {
    const { messages } = JSON.parse(line) as { messages: Array<{ role: string; content: string }> };
    return [messages.at(-1)!.content, messages.find((m) => m.role === 'user')!.content];
  });
}

describe('the key binds each input path to its digest', () => {
  it('two CSVs whose names give the label swap contents: the stage reruns and labels follow the files', async () => {
    const apache = fixture('Apache', 3);
    const linux = fixture('Linux', 3);
    const p = makeProject({ 'data/loghub-Apache.csv': apache, 'data/loghub-Linux.csv': linux, 'r.yaml': INGEST });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    const out = '.ftpipe/out/r.yaml/logs/data.jsonl';
    const apacheLines = labelled(p.read(out)).filter(([label]) => label === 'Apache').map(([, user]) => user);
    expect(apacheLines).toHaveLength(3);
    const firstApacheLine = apacheLines[0];

    p.write('data/loghub-Apache.csv', linux);
    p.write('data/loghub-Linux.csv', apache);
    const status = await p.run(['status', 'r.yaml']);
    expect(status.stdout).toContain('logs: will run: input data/loghub-Apache.csv changed; input data/loghub-Linux.csv changed');
    expect((await p.run(['run', '--check', 'r.yaml'])).code).toBe(3);
    const rerun = await p.run(['run', 'r.yaml']);
    expect(rerun.stdout).toContain('✓ logs ran');
    expect(labelled(p.read(out))).toContainEqual(['Linux', firstApacheLine]);
    expect(labelled(p.read(out))).not.toContainEqual(['Apache', firstApacheLine]);
  });

  it('two upstream outputs that swap contents rerun the stage that reads both', async () => {
    const recipe = (a: string, b: string) => `stages:
  a:
    uses: exec
    with: { cmd: [sh, -c, "printf ${a} > a.txt"], outs: { text: a.txt } }
  b:
    uses: exec
    with: { cmd: [sh, -c, "printf ${b} > b.txt"], outs: { text: b.txt } }
  both:
    uses: exec
    with:
      cmd: [sh, -c, 'cat "$0" "$1" > both.txt', "\${{ stages.a.outputs.text }}", "\${{ stages.b.outputs.text }}"]
      outs: { text: both.txt }
`;
    const p = makeProject({ 'r.yaml': recipe('1', '2') });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    expect(p.read('.ftpipe/out/r.yaml/both/text')).toBe('12');
    p.write('r.yaml', recipe('2', '1'));
    const rerun = await p.run(['run', 'r.yaml']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('✓ both ran');
    expect(p.read('.ftpipe/out/r.yaml/both/text')).toBe('21');
  });

  it('a lock written with the keys of an older ftpipe is accepted when its paths and digests match: nothing reruns', async () => {
    const p = makeProject({ 'data/loghub-Apache.csv': fixture('Apache', 2), 'data/loghub-Linux.csv': fixture('Linux', 2), 'r.yaml': INGEST });
    expect((await p.run(['run', 'r.yaml'])).code).toBe(0);
    const current = p.read('ftpipe.lock');
    const asOlderFtpipe = () => {
      const lock = parse(current);
      const entry = lock.pipelines['r.yaml'].stages.logs;
      entry.key = legacyStageKey({ uses: entry.uses, version: entry.version, keyParams: entry.params, inputs: entry.inputs });
      p.write('ftpipe.lock', stringify(lock));
    };
    asOlderFtpipe();
    expect((await p.run(['status', 'r.yaml'])).stdout).toContain('logs: up to date, but ftpipe.lock has the key an older ftpipe computed');
    expect((await p.run(['run', '--check', 'r.yaml'])).code).toBe(3);
    expect((await p.run(['run', 'r.yaml'])).stdout).toContain('• logs cached');
    expect(p.read('ftpipe.lock')).toBe(current);
    expect((await p.run(['run', '--check', 'r.yaml'])).code).toBe(0);

    // The old key never vouches for swapped contents.
    asOlderFtpipe();
    swap(p, 'data/loghub-Apache.csv', 'data/loghub-Linux.csv');
    expect((await p.run(['run', 'r.yaml'])).stdout).toContain('✓ logs ran');
  });
});

function swap(p: Project, a: string, b: string): void {
  const [x, y] = [p.read(a), p.read(b)];
  p.write(a, y);
  p.write(b, x);
}
