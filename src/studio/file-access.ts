/**
 * Which files the studio serves and writes. It opens JSONL data files only; never a dotfile or dot
 * folder (`.env`, `.git/`), the lock, a recipe or anything under `.ftpipe/` — except the stage outputs
 * in `.ftpipe/out/`, which it shows read-only (the next run replaces them: a fix is saved as a workspace
 * file instead). A recipe's own ShareGPT JSON and CSV inputs (named in its stages' params) are shown
 * read-only as 'source': their edits belong in the file itself or in the stage that converts them.
 * The rules hold for the path asked and for the file it really is (symlinks resolved).
 */
import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { FtpipeError } from '../errors.js';

export type FileAccess = 'edit' | 'view' | 'source';

const OUTPUTS = ['.ftpipe', 'out'];
const SOURCE = /\.(json|csv|tsv)$/i;

/** `abs` must already be inside the workspace (resolveInsideWorkspace); `recipeInputs`: absolute paths of the recipe's input files. */
export function fileAccess(workspace: string, abs: string, recipeInputs: readonly string[] = []): FileAccess {
  if (SOURCE.test(abs) && recipeInputs.includes(abs)) {
    accessOf(relative(workspace, abs).replace(SOURCE, '.jsonl')); // the dotfile and .ftpipe rules still apply
    try {
      accessOf(relative(realpathSync(workspace), realpathSync(abs)).replace(SOURCE, '.jsonl'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return 'source';
  }
  const asked = accessOf(relative(workspace, abs));
  let real: string;
  try {
    real = relative(realpathSync(workspace), realpathSync(abs));
  } catch {
    return asked; // not there (yet): the caller reports it missing
  }
  const actual = accessOf(real);
  return asked === 'view' || actual === 'view' ? 'view' : 'edit';
}

/** Throws unless the studio may write `abs` (a new or existing workspace data file). */
export function checkWritable(workspace: string, abs: string): void {
  if (fileAccess(workspace, abs) !== 'edit') {
    throw new FtpipeError(`${relative(workspace, abs).split(sep).join('/')} is a stage output: the next run replaces it`, 'STUDIO_READ_ONLY', {
      hint: 'save your edits as a workspace file (Save as…) and point the recipe at it',
    });
  }
}

function accessOf(path: string): FileAccess {
  const parts = path.split(sep);
  const shown = parts.join('/');
  if (!/\.jsonl$/i.test(path)) throw refused(shown, 'the studio opens JSONL data files only (not recipes, the lock or other files)');
  const underOutputs = parts.length > OUTPUTS.length && OUTPUTS.every((p, i) => parts[i] === p);
  const rest = underOutputs ? parts.slice(OUTPUTS.length) : parts;
  if (rest.some((p) => p.startsWith('.'))) throw refused(shown, underOutputs ? 'hidden files are never served' : 'dotfiles and the .ftpipe folder (store, cache, provider state, secrets) are never served');
  return underOutputs ? 'view' : 'edit';
}

function refused(path: string, why: string): FtpipeError {
  return new FtpipeError(`"${path}" is not available: ${why}`, 'STUDIO_PATH_REFUSED', { hint: 'open a .jsonl file of the workspace, e.g. data/train.jsonl, or a stage output under .ftpipe/out/' });
}
