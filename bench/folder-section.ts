/**
 * Folder-input benchmark: a no-op rerun of a stage whose input is one folder of many files (~1 GiB).
 * The rerun lists the folder and stats each file (stat cache); it must cost a small fraction of hashing
 * the folder, measured in the same run with `sha256sum` (the peer: what any re-hash costs at least).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './data-sections.js';

const cli = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'bin', 'ftpipe.js');

export async function folderSection(options: BenchOptions & { folderFiles?: number; folderBytes?: number }): Promise<void> {
  const root = join(options.dir, 'folder');
  const corpus = join(root, 'data', 'corpus');
  mkdirSync(join(root, '.git'), { recursive: true });
  const files = options.folderFiles ?? 1024;
  const bytesPerFile = Math.floor((options.folderBytes ?? 1024 ** 3) / files);
  for (let i = 0; i < files; i++) {
    const dir = join(corpus, `part-${String(i % 16).padStart(2, '0')}`);
    mkdirSync(dir, { recursive: true });
    const line = Buffer.from(`ftpipe folder benchmark, file ${i}\n`);
    const chunk = Buffer.alloc(Math.min(bytesPerFile, 1 << 20), line);
    const fd = openSync(join(dir, `f-${i}.txt`), 'w');
    for (let written = 0; written < bytesPerFile; written += chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, bytesPerFile - written));
    closeSync(fd);
  }
  writeFileSync(join(root, 'recipe.yaml'), ['stages:', '  count:', '    uses: exec', '    with:', '      cmd: [sh, -c, "find data/corpus -type f | wc -l > n.txt"]', '      deps: [data/corpus]', '      outs: { n: n.txt }', ''].join('\n'));
  const time = (file: string, args: string[]) => {
    const t0 = process.hrtime.bigint();
    execFileSync(file, args, { cwd: root, env: { ...process.env, CI: 'true' }, stdio: 'pipe', maxBuffer: 1 << 26 });
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const first = time('node', [cli, 'run', 'recipe.yaml']);
  const reruns = [0, 1, 2].map(() => time('node', [cli, 'run', 'recipe.yaml'])).sort((a, b) => a - b);
  const sha = [0, 1, 2].map(() => time('sh', ['-c', 'find data/corpus -type f -print0 | xargs -0 sha256sum > /dev/null'])).sort((a, b) => a - b);
  const median = reruns[1];
  console.log(`folder: 1 stage, a folder of ${files} files, ${((files * bytesPerFile) / 1024 ** 3).toFixed(2)} GiB`);
  console.log(`  first run (hashes every file): ${(first / 1000).toFixed(2)} s`);
  console.log(`  no-op rerun (whole CLI process): median ${median.toFixed(0)} ms of 3 (${reruns.map((r) => r.toFixed(0)).join(', ')})`);
  console.log(`  peer, sha256sum of the folder's files: median ${sha[1].toFixed(0)} ms → no-op rerun = ${(median / sha[1]).toFixed(3)}× sha256sum, ${(median / first).toFixed(3)}× the first run`);
}
