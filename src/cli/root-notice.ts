/** The workspace root is printed (to stderr) whenever it is not the current directory: paths in the recipe resolve against it. */
import { relative, resolve } from 'node:path';

export function noteWorkspaceRoot(root: string, write: (text: string) => void = (t) => process.stderr.write(t)): void {
  const cwd = resolve(process.cwd());
  if (resolve(root) === cwd) return;
  const shown = relative(cwd, root);
  // An ancestor reads best as ../..; anywhere else outside the current directory, as an absolute path.
  const ancestor = /^\.\.(\/\.\.)*$/.test(shown.split('\\').join('/'));
  write(`workspace root: ${ancestor || !shown.startsWith('..') ? shown : root} (recipe paths resolve against it)\n`);
}
