/**
 * Outputs a stage also writes at workspace paths (exec's `outs`), tracked like DVC outs: a decision
 * notices when one is missing or was modified (and restores it from the store); before the stage runs
 * only what it produced before is removed (anything else there is moved aside to .ftpipe/displaced/,
 * never deleted); a failed or interrupted run leaves no partial out; a killed one is recognised by the
 * marker it left and cleaned on the next run. Every path is re-checked for confinement before it is touched.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { FtpipeError } from '../errors.js';
import type { RecipeStage } from '../recipe/types.js';
import { createFileExclusive } from '../store/atomic.js';
import { unconfinedReason } from '../store/confined-path.js';
import { digestFile, listTree, type Digest } from '../store/digest.js';
import { pidExists } from '../store/process-alive.js';
import type { OutputRecord } from '../store/run-cache.js';
import type { RunEvent } from './events.js';
import type { Workspace } from './workspace.js';

interface WorkspaceOut {
  name: string;
  /** As written (relative to the root, no trailing slash). */
  path: string;
  absolute: string;
}

type Stored = Extract<OutputRecord, { digest: Digest }>;

export function workspaceOutsOf(stage: RecipeStage, ws: Workspace): WorkspaceOut[] {
  return Object.entries(stage.def.workspaceOutputs?.(stage.with) ?? {}).map(([name, written]) => {
    const path = written.replace(/[\\/]+$/, '');
    return { name, path, absolute: resolve(ws.root, path) };
  });
}

/** Why the workspace copies differ from `outputs` (empty when they match). */
export async function workspaceOutChanges(stage: RecipeStage, outputs: Record<string, OutputRecord>, ws: Workspace): Promise<string[]> {
  const reasons: string[] = [];
  for (const out of workspaceOutsOf(stage, ws)) {
    const recorded = outputs[out.name];
    if (!recorded || 'value' in recorded) continue;
    const current = await ws.statCache.digest(out.absolute).catch(() => undefined);
    if (!current) reasons.push(`out ${out.path} is missing`);
    else if (current.digest !== recorded.digest) reasons.push(`out ${out.path} was modified`);
  }
  return reasons;
}

/**
 * After a stage ran or was restored: its workspace outs show exactly the stored outputs (copies, never links
 * into the store). A restore over a modified out first moves aside every file that is not the stored one
 * (an edit, a file added to a folder out): it is the user's, never deleted. Right after the stage ran
 * (`restoring: false`) what differs is the command's own output, as stored only redacted: it is replaced.
 */
export async function showWorkspaceOuts(stage: RecipeStage, outputs: Record<string, OutputRecord>, ws: Workspace, options: { restoring: boolean; emit?: (event: RunEvent) => void }): Promise<void> {
  for (const out of workspaceOutsOf(stage, ws)) {
    const recorded = outputs[out.name];
    if (!recorded || 'value' in recorded) continue;
    assertConfined(ws, out);
    const current = await ws.statCache.digest(out.absolute).catch(() => undefined);
    if (current?.digest === recorded.digest) continue;
    if (options.restoring && existsSync(out.absolute)) await setAside(stage, out, recorded, ws, options.emit ?? (() => {}), 'restoring it');
    await ws.objects.materialize(recorded.digest, recorded.kind ?? 'file', out.absolute, { copy: true });
  }
  await rm(markerOf(ws, stage), { force: true });
}

/** Removes what `out` holds of `produced` (files identical to it); moves the rest to .ftpipe/displaced/, with a warning. */
async function setAside(stage: RecipeStage, out: WorkspaceOut, produced: Stored | undefined, ws: Workspace, emit: (event: RunEvent) => void, before: string): Promise<void> {
  const left = await removeProduced(out, produced, ws);
  if (left.length === 0) return;
  const asideRoot = join(ws.dir, 'displaced', new Date().toISOString().replace(/[:.]/g, '-'));
  for (const path of left) {
    const aside = join(asideRoot, relative(ws.root, path));
    await mkdir(dirname(aside), { recursive: true });
    await rename(path, aside);
  }
  const what = left.length === 1 ? `${relative(ws.root, left[0])} was` : `${left.length} files in ${out.path}/ were`;
  const where = relative(ws.root, left.length === 1 ? join(asideRoot, relative(ws.root, left[0])) : join(asideRoot, out.path));
  emit({ type: 'stage:log', id: stage.id, level: 'warn', message: `${what} not written by this stage (or edited since); moved to ${where} before ${before}` });
}

/**
 * Right before the stage runs: remove what it produced before (`previous`, from the lock), clean the
 * partial outs of a killed run of it, move anything else aside; then mark the outs as being produced.
 */
export async function clearWorkspaceOuts(stage: RecipeStage, previous: Record<string, OutputRecord> | undefined, ws: Workspace, emit: (event: RunEvent) => void): Promise<void> {
  const outs = workspaceOutsOf(stage, ws);
  if (outs.length === 0) return;
  const killed = readMarker(ws, stage);
  for (const out of outs) {
    assertConfined(ws, out);
    if (!existsSync(out.absolute)) continue;
    if (killed) {
      await rm(out.absolute, { recursive: true, force: true }); // the partial out of an earlier run of this stage that was killed
      continue;
    }
    const before = previous?.[out.name];
    await setAside(stage, out, before && !('value' in before) ? before : undefined, ws, emit, 'running');
  }
  const marker = markerOf(ws, stage);
  await rm(marker, { force: true });
  await mkdir(dirname(marker), { recursive: true });
  createFileExclusive(marker, JSON.stringify({ pid: process.pid, outs: outs.map((o) => o.path) }));
}

/** After a failed or interrupted run: remove what the command wrote, put back what the lock records. */
export async function abandonWorkspaceOuts(stage: RecipeStage, previous: Record<string, OutputRecord> | undefined, ws: Workspace): Promise<void> {
  const outs = workspaceOutsOf(stage, ws);
  if (outs.length === 0) return;
  for (const out of outs) {
    assertConfined(ws, out);
    await rm(out.absolute, { recursive: true, force: true });
    const before = previous?.[out.name];
    if (before && !('value' in before) && ws.objects.has(before.digest, before.kind ?? 'file')) {
      await ws.objects.materialize(before.digest, before.kind ?? 'file', out.absolute, { copy: true });
    }
  }
  await rm(markerOf(ws, stage), { force: true });
}

/** Removes the files of `out` that are exactly what the stage produced before; returns the paths holding anything else. */
async function removeProduced(out: WorkspaceOut, before: Stored | undefined, ws: Workspace): Promise<string[]> {
  const info = await stat(out.absolute);
  if (!info.isDirectory() || (before?.kind ?? 'dir') === 'file') {
    const same = before !== undefined && info.isFile() && (await digestFile(out.absolute)).digest === before.digest;
    if (same) await rm(out.absolute, { force: true });
    return same ? [] : [out.absolute];
  }
  const produced = new Map<string, Digest>();
  const tree = before ? ws.objects.pathOf(before.digest, 'dir') : undefined;
  if (tree && existsSync(tree)) for (const file of await listTree(tree)) produced.set(file, (await digestFile(join(tree, file))).digest);
  const others: string[] = [];
  for (const file of await listTree(out.absolute)) {
    const path = join(out.absolute, file);
    if (produced.get(file) === (await digestFile(path)).digest) await rm(path, { force: true });
    else others.push(path);
  }
  await removeEmptyDirs(out.absolute);
  return others;
}

async function removeEmptyDirs(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) if (entry.isDirectory()) await removeEmptyDirs(join(dir, entry.name));
  if ((await readdir(dir)).length === 0) await rmdir(dir);
}

function assertConfined(ws: Workspace, out: WorkspaceOut): void {
  const reason = unconfinedReason(ws.root, out.path);
  if (reason) throw new FtpipeError(`out "${out.name}" (${out.path}) ${reason}; ftpipe will not touch it`, 'EXEC_OUT_UNSAFE', { hint: 'choose an out path inside the workspace (not the root, .git or .ftpipe)', exitCode: 2 });
}

/** One marker per stage's set of outs: "these paths are being written by pid N". */
function markerOf(ws: Workspace, stage: RecipeStage): string {
  const outs = workspaceOutsOf(stage, ws).map((o) => o.path).sort().join('\n');
  return join(ws.dir, 'state', 'producing', `${createHash('sha256').update(outs).digest('hex').slice(0, 24)}.json`);
}

/** True when a run of this stage was killed while producing its outs (its marker names a dead pid). */
function readMarker(ws: Workspace, stage: RecipeStage): boolean {
  const file = markerOf(ws, stage);
  try {
    const { pid } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
    if (pid !== process.pid && pidExists(pid)) return false;
  } catch {
    return false;
  }
  return true;
}
