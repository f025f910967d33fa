/**
 * ftpipe.lock is edited by merges and by hand: before the engine trusts it, every entry must have the
 * shape ftpipe writes (params and inputs may be left out: none). Returns where the first wrong part is
 * (a path into the document) and what is wrong.
 */
type Path = Array<string | number>;
export interface ShapeProblem {
  path: Path;
  message: string;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDigest = (v: unknown) => typeof v === 'string' && /^sha256:[0-9a-f]{64}$/.test(v);
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

export function lockShapeProblem(data: unknown): ShapeProblem | undefined {
  if (!isMap(data)) return { path: [], message: 'expected a mapping with `schema:` and `pipelines:`' };
  if (data.pipelines === undefined || data.pipelines === null) return undefined;
  if (!isMap(data.pipelines)) return { path: ['pipelines'], message: 'expected a mapping of recipe paths' };
  for (const [recipe, section] of Object.entries(data.pipelines)) {
    const at = ['pipelines', recipe];
    if (!isMap(section) || !isMap(section.stages)) return { path: at, message: 'expected `stages:` with one entry per stage' };
    for (const [id, entry] of Object.entries(section.stages)) {
      const problem = entryProblem(entry, [...at, 'stages', id]);
      if (problem) return problem;
    }
  }
  return undefined;
}

function entryProblem(entry: unknown, at: Path): ShapeProblem | undefined {
  if (!isMap(entry)) return { path: at, message: 'expected a stage entry (uses, version, key, params, inputs, outputs)' };
  if (typeof entry.uses !== 'string') return { path: [...at, 'uses'], message: '`uses` must be a stage type' };
  if (typeof entry.version !== 'number') return { path: [...at, 'version'], message: '`version` must be a number' };
  if (typeof entry.key !== 'string' || !/^[0-9a-f]{64}$/.test(entry.key)) return { path: [...at, 'key'], message: '`key` must be a sha256 hex digest' };
  if (entry.params !== undefined && !isMap(entry.params)) return { path: [...at, 'params'], message: '`params` must be a mapping' };
  if (entry.provider !== undefined && !isMap(entry.provider)) return { path: [...at, 'provider'], message: '`provider` must be a mapping' };
  if (entry.inputs !== undefined && !Array.isArray(entry.inputs)) return { path: [...at, 'inputs'], message: '`inputs` must be a list' };
  for (const [i, input] of ((entry.inputs ?? []) as unknown[]).entries()) {
    const named = isMap(input) && (typeof input.path === 'string' || (typeof input.stage === 'string' && typeof input.output === 'string'));
    if (!named || !isDigest(input.digest) || !isCount(input.size)) return { path: [...at, 'inputs', i], message: 'an input needs `path` (or `stage` and `output`), a sha256 `digest` and a `size`' };
  }
  if (!isMap(entry.outputs)) return { path: [...at, 'outputs'], message: '`outputs` must be a mapping' };
  for (const [name, out] of Object.entries(entry.outputs)) {
    const ok = isMap(out) && ('value' in out || (isDigest(out.digest) && isCount(out.size) && (out.kind === undefined || out.kind === 'file' || out.kind === 'dir')));
    if (!ok) return { path: [...at, 'outputs', name], message: 'an output needs a `value`, or a sha256 `digest`, a `size` and a `kind` (file or dir)' };
  }
  return undefined;
}
