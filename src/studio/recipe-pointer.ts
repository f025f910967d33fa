/**
 * "Point the recipe at it": after a stage output was saved as a workspace file, the stages that read
 * that output read the file instead. Only scalars that are exactly `${{ stages.<id>.outputs.<name> }}`
 * under a stage's `with:` are replaced, in place in the recipe's text (comments, order and layout stay),
 * by the new file's path; nothing else in the recipe can change.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { writeFileAtomic } from '../store/atomic.js';
import { FtpipeError } from '../errors.js';

export interface PointedReference {
  /** The stage whose `with:` now names the file. */
  stage: string;
  /** 1-based line in the recipe. */
  line: number;
}

export async function pointRecipeAt(recipeFile: string, from: { stage: string; output: string }, path: string): Promise<PointedReference[]> {
  const text = await readFile(recipeFile, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new FtpipeError(`the recipe does not parse: ${doc.errors[0].message.split('\n')[0]}`, 'STUDIO_RECIPE_INVALID', { hint: 'fix the recipe (ftpipe lint), then save again' });
  const reference = new RegExp(`^\\$\\{\\{\\s*stages\\.${escape(from.stage)}\\.outputs\\.${escape(from.output)}\\s*\\}\\}$`);
  const found: Array<{ stage: string; start: number; end: number }> = [];
  const stages = doc.get('stages', true);
  if (isMap(stages)) {
    for (const pair of stages.items) {
      const stage = isScalar(pair.key) ? String(pair.key.value) : '';
      const params = isMap(pair.value) ? pair.value.get('with', true) : undefined;
      visit(params as Node | undefined, (node) => {
        if (typeof node.value === 'string' && reference.test(node.value.trim()) && node.range) found.push({ stage, start: node.range[0], end: node.range[1] });
      });
    }
  }
  if (found.length === 0) return [];
  let edited = text;
  for (const { start, end } of [...found].sort((a, b) => b.start - a.start)) edited = edited.slice(0, start) + JSON.stringify(path) + edited.slice(end);
  await writeFileAtomic(recipeFile, edited);
  return found.map(({ stage, start }) => ({ stage, line: text.slice(0, start).split('\n').length }));
}

function visit(node: Node | undefined, onScalar: (node: { value: unknown; range?: [number, number, number] | null }) => void): void {
  if (isScalar(node)) onScalar(node);
  else if (isMap(node)) for (const pair of node.items) visit(pair.value as Node, onScalar);
  else if (isSeq(node)) for (const item of node.items) visit(item as Node, onScalar);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
