/** Finds a stage's latest output file in a project, wherever under .ftpipe/out the engine puts it. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../helpers/project.js';

export function stageOutputPath(p: Project, stage: string, file: string): string {
  const search = (dir: string, depth: number): string | undefined => {
    if (!existsSync(dir) || depth > 3) return undefined;
    const direct = join(dir, stage, file);
    if (existsSync(direct)) return direct;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const found = search(join(dir, entry.name), depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  const found = search(join(p.root, '.ftpipe', 'out'), 0);
  if (!found) throw new Error(`no output ${stage}/${file} under ${p.root}/.ftpipe/out`);
  return found;
}

export function readStageJson(p: Project, stage: string, file: string): any {
  return JSON.parse(readFileSync(stageOutputPath(p, stage, file), 'utf8'));
}

export function readStageJsonl(p: Project, stage: string, file: string): any[] {
  return readFileSync(stageOutputPath(p, stage, file), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}
