/** Substitute `${{ vars.x }}`, `${{ env.X }}` and `${X}`; stage references are left for the run. */
import type { Problem } from '../errors.js';
import { locate, type PositionedDocument } from './document.js';
import { mapStrings, substitute } from './expressions.js';
import { closest } from './suggest.js';

export function substituteVarsAndEnv(pd: PositionedDocument, value: Record<string, any>, env: NodeJS.ProcessEnv, problems: Problem[]): unknown {
  const vars: Record<string, unknown> = value.vars ?? {};
  return mapStrings(value, (text, path) =>
    substitute(text, (expression) => {
      switch (expression.kind) {
        case 'var':
          if (expression.name in vars) return vars[expression.name];
          problems.push({ ...locate(pd, path), message: `${path.join('.')}: unknown var "${expression.name}"`, hint: hintFor(expression.name, Object.keys(vars), 'define it under `vars:`') });
          return undefined;
        case 'env':
          if (env[expression.name] !== undefined) return env[expression.name];
          problems.push({ ...locate(pd, path), message: `${path.join('.')}: environment variable ${expression.name} is not set`, hint: `set ${expression.name} (or put it in .env)` });
          return undefined;
        case 'invalid':
          problems.push({ ...locate(pd, path), message: `${path.join('.')}: cannot understand \${{ ${expression.text} }}`, hint: 'expected ${{ vars.NAME }}, ${{ env.NAME }} or ${{ stages.ID.outputs.NAME }}' });
          return undefined;
        case 'stage':
          return undefined;
      }
    }),
  );
}

function hintFor(name: string, known: string[], fallback: string): string {
  const guess = closest(name, known);
  return guess ? `did you mean "${guess}"?` : fallback;
}
