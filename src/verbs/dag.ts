import { topologicalOrder } from '../graph/dag.js';
import type { Recipe } from '../recipe/types.js';

export function renderDag(recipe: Recipe, format: 'text' | 'mermaid' | 'json'): string {
  const order = topologicalOrder(new Map([...recipe.stages].map(([id, s]) => [id, s.needs])));
  if (format === 'json') {
    const stages = order.map((id) => {
      const s = recipe.stages.get(id)!;
      return { id, uses: s.uses, needs: [...s.needs].sort(), outputs: Object.fromEntries(Object.entries(s.outputs).map(([name, o]) => [name, o.kind])), paid: s.def.paid === true };
    });
    return JSON.stringify({ recipe: recipe.name, root: recipe.root, order, stages }, null, 2) + '\n';
  }
  if (format === 'mermaid') {
    const lines = ['flowchart TD'];
    for (const id of order) lines.push(`  ${nodeId(id)}["${label(id)}<br/><small>${label(recipe.stages.get(id)!.uses)}</small>"]`);
    for (const id of order) for (const dep of [...recipe.stages.get(id)!.needs].sort()) lines.push(`  ${nodeId(dep)} --> ${nodeId(id)}`);
    return lines.join('\n') + '\n';
  }
  return order.map((id) => {
    const stage = recipe.stages.get(id)!;
    return `${id} (${stage.uses})${stage.needs.length ? ` ← ${[...stage.needs].sort().join(', ')}` : ''}`;
  }).join('\n') + '\n';
}

/**
 * Mermaid node ids: a prefix keeps keywords (`end`, `graph`, …) from being one, and the escape is one to one
 * (`_` → `__`, `-` → `_d_`), so `a-b` and `a_b` stay two nodes. The label shows the real id.
 */
function nodeId(id: string): string {
  return `s_${id.replace(/[^A-Za-z0-9]/g, (c) => (c === '_' ? '__' : c === '-' ? '_d_' : `_${c.codePointAt(0)!.toString(16)}_`))}`;
}

function label(text: string): string {
  return text.replace(/"/g, '#quot;');
}
