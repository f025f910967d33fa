/** Temp projects from a file tree, and the real CLI run on them (output with the root shown as <root>). */
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const cliPath = join(repoRoot, 'bin', 'ftpipe.js');

export interface Project {
  root: string;
  write(path: string, content: string): void;
  read(path: string): string;
  exists(path: string): boolean;
  run(args: string[], options?: { env?: Record<string, string>; timeout?: number }): Promise<CliResult>;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function makeProject(files: Record<string, string>): Project {
  const root = mkdtempSync(join(tmpdir(), 'ftpipe-e2e-'));
  mkdirSync(join(root, '.git')); // marks the workspace root, as in a real repository
  const project: Project = {
    root,
    write(path, content) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    },
    read: (path) => readFileSync(join(root, path), 'utf8'),
    exists: (path) => existsSync(join(root, path)),
    run: (args, options = {}) => runCli(args, root, options),
  };
  for (const [path, content] of Object.entries(files)) project.write(path, content);
  return project;
}

export async function runCli(args: string[], cwd: string, options: { env?: Record<string, string>; timeout?: number } = {}): Promise<CliResult> {
  const result = await execa('node', [cliPath, ...args], {
    cwd,
    reject: false,
    env: { CI: 'true', NO_COLOR: '1', ...options.env },
    timeout: options.timeout ?? 120_000,
    stdin: 'ignore',
    stripFinalNewline: false,
  });
  const clean = (s: string) => s.split(cwd).join('<root>');
  return { code: result.exitCode ?? -1, stdout: clean(result.stdout), stderr: clean(result.stderr) };
}
