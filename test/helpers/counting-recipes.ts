/** Small exec recipes whose commands append to `count`, so a test sees how often they really ran. */
import type { Project } from './project.js';

/** `upper` upper-cases in.txt into the tracked out up.txt. */
export const upperRecipe = `stages:
  upper:
    uses: exec
    with:
      cmd: [sh, -c, "echo run >> count; tr a-z A-Z < in.txt > up.txt"]
      deps: [in.txt]
      outs: { text: up.txt }
`;

/** upperRecipe plus `shout`, which reads upper's output through a reference. */
export const upperShoutRecipe = `${upperRecipe}  shout:
    uses: exec
    with:
      cmd: [sh, -c, "cat \\"$0\\" > shout.txt; echo '!' >> shout.txt", "\${{ stages.upper.outputs.text }}"]
      outs: { text: shout.txt }
`;

export const runCount = (p: Project): number => (p.exists('count') ? p.read('count').trim().split('\n').length : 0);
