/** The stage graph: edges are "needs" (stage → the stages it depends on). */
import { ExitCode, FtpipeError } from '../errors.js';
import { closest } from '../recipe/suggest.js';

export type Edges = Map<string, string[]>;

/** A cycle spelled out (first node repeated at the end), or undefined. */
export function findCycle(edges: Edges): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const dep of edges.get(node) ?? []) {
      if (!edges.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...edges.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Dependencies before dependents; ties broken by name so the order never depends on YAML order. */
export function topologicalOrder(edges: Edges): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (node: string) => {
    if (done.has(node)) return;
    done.add(node);
    for (const dep of [...(edges.get(node) ?? [])].sort()) if (edges.has(dep)) visit(dep);
    order.push(node);
  };
  for (const node of [...edges.keys()].sort()) visit(node);
  return order;
}

export function upstreamOf(edges: Edges, start: string): Set<string> {
  const seen = new Set<string>();
  const walk = (node: string) => {
    for (const dep of edges.get(node) ?? []) if (!seen.has(dep)) (seen.add(dep), walk(dep));
  };
  walk(start);
  return seen;
}

export function downstreamOf(edges: Edges, start: string): Set<string> {
  const reverse: Edges = new Map([...edges.keys()].map((k) => [k, []]));
  for (const [node, deps] of edges) for (const dep of deps) reverse.get(dep)?.push(node);
  return upstreamOf(reverse, start);
}

/** Which stages a run selects: --only, --from (and everything after), --until (and everything before). */
export function selectStages(edges: Edges, options: { only?: string[]; from?: string; until?: string }): Set<string> {
  let selected = new Set(edges.keys());
  if (options.only?.length) selected = new Set(options.only);
  if (options.from) {
    const from = new Set([options.from, ...downstreamOf(edges, options.from)]);
    selected = new Set([...selected].filter((s) => from.has(s)));
  }
  if (options.until) {
    const until = new Set([options.until, ...upstreamOf(edges, options.until)]);
    selected = new Set([...selected].filter((s) => until.has(s)));
  }
  return selected;
}

/** --only / --from / --until / --force must name stages of the recipe: a typo would silently select nothing. */
export function checkSelectors(edges: Edges, recipe: string, options: { only?: string[]; from?: string; until?: string; force?: string[] | 'all' }): void {
  const named: Array<[string, string | undefined]> = [
    ...(options.only ?? []).map((id): [string, string] => ['--only', id]),
    ['--from', options.from],
    ['--until', options.until],
    ...(options.force === 'all' ? [] : (options.force ?? [])).map((id): [string, string] => ['--force', id]),
  ];
  for (const [option, id] of named) {
    if (id === undefined || edges.has(id)) continue;
    const ids = [...edges.keys()].sort();
    const guess = closest(id, ids);
    throw new FtpipeError(`${option}: no stage "${id}" in ${recipe}`, 'UNKNOWN_STAGE', { exitCode: ExitCode.usage, hint: guess ? `did you mean "${guess}"?` : `stages: ${ids.join(', ')}` });
  }
}
