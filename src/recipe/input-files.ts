/** Input params naming a FIFO, socket or device are refused where the recipe names them (hashing one would hang). */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Problem } from '../errors.js';
import { kindOf, NOT_REGULAR_HINT } from '../store/digest.js';
import { expressionsIn } from './expressions.js';
import type { RecipeStage } from './types.js';

export function nonRegularInputs(stage: RecipeStage, root: string, where: (path: Array<string | number>) => Omit<Problem, 'message'>): Problem[] {
  const problems: Problem[] = [];
  for (const param of stage.def.inputs ?? []) {
    const value = stage.with[param];
    const paths = Array.isArray(value) ? value : [value];
    paths.forEach((path, i) => {
      if (typeof path !== 'string' || expressionsIn(path).length > 0) return;
      let info;
      try {
        info = statSync(resolve(root, path));
      } catch {
        return; // missing: reported when the stage runs
      }
      if (info.isFile() || info.isDirectory()) return;
      const at = ['stages', stage.id, 'with', param, ...(Array.isArray(value) ? [i] : [])];
      problems.push({ ...where(at), message: `stage "${stage.id}": input ${param}: ${path} is ${kindOf(info)}, not a regular file`, hint: NOT_REGULAR_HINT });
    });
  }
  return problems;
}
