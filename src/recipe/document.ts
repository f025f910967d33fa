/** A YAML document parsed with positions, so every error can say file:line:column. */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document, type Node } from 'yaml';
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

export function parseYamlText(text: string, file: string): PositionedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems: Problem[] = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return { file, line: pos.line, column: pos.col, message: `YAML syntax: ${e.message.split('\n')[0]}` };
    });
    throw new RecipeError(problems, 'RECIPE_YAML');
  }
  return { file, doc, lineCounter, value: doc.toJS({ maxAliasCount: 100 }) };
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
