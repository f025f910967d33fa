/** Test helper: the parsed JSON values of a JSONL file. */
import { readFileSync } from 'node:fs';

export function readJsonl(path: string): any[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

export function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}
