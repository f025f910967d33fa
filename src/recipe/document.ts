/** A YAML document parsed with positions, so every error can say file:line:column. */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import { RecipeError, type Problem } from '../errors.js';

export interface PositionedDocument {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  value: unknown;
}

export function parseYamlFile(file: string, displayName = file): PositionedDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RecipeError([{ file: displayName, message: `cannot read ${displayName}: ${(error as NodeJS.ErrnoException).code ?? error}`, hint: 'check the path' }], 'RECIPE_NOT_FOUND');
  }
  return parseYamlText(text, displayName);
}

/** Deeper than any real recipe; bounds the recursion of everything that walks a recipe's values. */
export const MAX_NESTING = 64;
const MAX_ALIAS_COUNT = 100;

export function parseYamlText(text: string, file: string): PositionedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    const problems: Problem[] = doc.errors.map((e) => {
      const tooDeep = /call stack/i.test(e.message);
      return { ...at(e.pos[0]), message: tooDeep ? `nesting too deep to parse (more than ${MAX_NESTING} levels)` : `YAML syntax: ${e.message.split('\n')[0]}`, ...(tooDeep ? { hint: 'flatten the structure' } : {}) };
    });
    throw new RecipeError(problems, 'RECIPE_YAML');
  }
  const problems = shapeProblems(doc.contents, at);
  if (problems.length > 0) throw new RecipeError(problems, 'RECIPE_YAML');
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const alias = firstAlias(doc.contents);
    throw new RecipeError([{ ...(alias?.range ? at(alias.range[0]) : { file }), message: `YAML aliases expand to too many nodes (limit ${MAX_ALIAS_COUNT}): ${error.message}`, hint: 'write the values out, or use fewer anchors and aliases' }], 'RECIPE_YAML');
  }
  return { file, doc, lineCounter, value };
}

/** Nesting deeper than MAX_NESTING and numbers that are not finite (`1e400`, `.inf`), found without recursion. */
function shapeProblems(root: Node | null, at: (offset: number) => Omit<Problem, 'message'>): Problem[] {
  const problems: Problem[] = [];
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isPair(node)) {
      stack.push({ node: node.key, depth }, { node: node.value, depth });
    } else if (isMap(node) || isSeq(node)) {
      if (depth >= MAX_NESTING) {
        problems.push({ ...at(node.range?.[0] ?? 0), message: `nesting deeper than ${MAX_NESTING} levels`, hint: 'flatten the structure' });
        break;
      }
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
    } else if (isScalar(node) && typeof node.value === 'number' && !Number.isFinite(node.value)) {
      problems.push({ ...at(node.range?.[0] ?? 0), message: `${String(node.source ?? node.value)} is not a finite number`, hint: 'give a finite number, or quote it to make it text' });
    }
  }
  return problems;
}

function firstAlias(root: Node | null): Node | undefined {
  let found: Node | undefined;
  visit(root as Node, { Alias: (_, node) => ((found = node), visit.BREAK) });
  return found;
}

/** What ftpipe refuses in a plain value (a --set value): nesting deeper than MAX_NESTING, non-finite numbers. */
export function unusableValue(value: unknown): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'number' && !Number.isFinite(item.value)) return `${item.value} is not a finite number`;
    if (item.value && typeof item.value === 'object') {
      if (item.depth >= MAX_NESTING) return `nesting deeper than ${MAX_NESTING} levels`;
      for (const child of Object.values(item.value)) stack.push({ value: child, depth: item.depth + 1 });
    }
  }
  return undefined;
}

/**
 * Where a path points in the document. For `key: true` the key's own position is returned (used for
 * "unknown key" errors); otherwise the value's. Walks up to the nearest ancestor that exists.
 */
export function locate(pd: PositionedDocument, path: Array<string | number>, options: { key?: boolean } = {}): Problem {
  for (let depth = path.length; depth >= 0; depth--) {
    const sub = path.slice(0, depth);
    const node = nodeAt(pd, sub, options.key === true && depth === path.length);
    if (node?.range) {
      const pos = pd.lineCounter.linePos(node.range[0]);
      return { file: pd.file, line: pos.line, column: pos.col, path: path.join('.'), message: '' };
    }
  }
  return { file: pd.file, path: path.join('.'), message: '' };
}

function nodeAt(pd: PositionedDocument, path: Array<string | number>, wantKey: boolean): Node | undefined {
  if (path.length === 0) return pd.doc.contents ?? undefined;
  if (!wantKey) return pd.doc.getIn(path, true) as Node | undefined;
  const parent = path.length === 1 ? pd.doc.contents : (pd.doc.getIn(path.slice(0, -1), true) as Node | undefined);
  if (!isMap(parent)) return undefined;
  const last = path[path.length - 1];
  const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === last);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}
