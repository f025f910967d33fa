import { topologicalOrder } from '../graph/dag.js';
import type { Recipe } from '../recipe/types.js';

export function renderDag(recipe: Recipe, format: 'text' | 'mermaid'): string {
  const order = topologicalOrder(new Map([...recipe.stages].map(([id, s]) => [id, s.needs])));
  if (format === 'mermaid') {
    const lines = ['flowchart TD'];
    for (const id of order) lines.push(`  ${nodeId(id)}["${id}<br/><small>${recipe.stages.get(id)!.uses}</small>"]`);
    for (const id of order) for (const dep of [...recipe.stages.get(id)!.needs].sort()) lines.push(`  ${nodeId(dep)} --> ${nodeId(id)}`);
    return lines.join('\n') + '\n';
  }
  return order.map((id) => {
    const stage = recipe.stages.get(id)!;
    return `${id} (${stage.uses})${stage.needs.length ? ` ← ${[...stage.needs].sort().join(', ')}` : ''}`;
  }).join('\n') + '\n';
}

function nodeId(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, '_');
}
