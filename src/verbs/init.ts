/**
 * `ftpipe init [dir]`: a working project from a template — a recipe (with the editor schema comment),
 * a small sample data file with its attribution, `.gitignore` entries and `ftpipe.lock`, which marks
 * the workspace root. Nothing is overwritten: if any file exists, nothing is written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ExitCode, FtpipeError } from '../errors.js';
import { lockPath, writeLock, LOCK_SCHEMA } from '../lock/lockfile.js';
import { packageRoot, schemasDir } from '../paths.js';
import { writeFileAtomic } from '../store/atomic.js';

export const initTemplates = ['chat-jsonl', 'sharegpt', 'csv'] as const;
export type InitTemplate = (typeof initTemplates)[number];

const ignoreEntries = ['.ftpipe/', '.env', '.env.*'];

export async function initProject(options: { dir: string; template: InitTemplate; write?: (text: string) => void }): Promise<number> {
  const write = options.write ?? ((t: string) => process.stdout.write(t));
  const dir = resolve(options.dir);
  const source = join(packageRoot, 'templates', options.template);
  const files = await listFiles(source);
  const clashes = files.filter((f) => existsSync(join(dir, f)));
  if (clashes.length > 0) {
    throw new FtpipeError(`${displayDir(dir)} already has ${clashes.join(', ')}; nothing was written`, 'INIT_EXISTS', {
      hint: 'run ftpipe init in an empty folder, or move those files away first',
      exitCode: ExitCode.usage,
    });
  }
  const name = projectName(dir);
  for (const file of files) {
    let content = await readFile(join(source, file));
    if (file.endsWith('.yaml')) content = Buffer.from(content.toString('utf8').replaceAll('{{schema}}', schemaReference(join(dir, dirname(file)))).replaceAll('{{name}}', name));
    await writeFileAtomic(join(dir, file), content);
  }
  const created = [...files];
  if (!existsSync(lockPath(dir))) {
    await writeLock(dir, { schema: LOCK_SCHEMA, pipelines: {} });
    created.push('ftpipe.lock');
  }
  if (await addIgnoreEntries(join(dir, '.gitignore'))) created.push('.gitignore');
  const recipe = files.find((f) => f.startsWith('pipelines/'))!;
  const cd = relative(process.cwd(), dir);
  write(
    [
      `created ${created.sort().join(', ')} in ${displayDir(dir)}`,
      '',
      'next:',
      ...(cd ? [`  cd ${cd.includes(' ') ? JSON.stringify(cd) : cd}`] : []),
      `  npx ftpipe run ${recipe}      # runs it end to end, offline (local provider)`,
      `  npx ftpipe studio ${recipe}   # look at the data, the run and the eval`,
      '',
    ].join('\n'),
  );
  return ExitCode.ok;
}

/** Appends the entries .gitignore lacks; true when the file was created or changed. */
async function addIgnoreEntries(file: string): Promise<boolean> {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const missing = ignoreEntries.filter((e) => !have.has(e) && !have.has(e.replace(/\/$/, '')));
  if (missing.length === 0) return false;
  const prefix = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  await writeFileAtomic(file, `${prefix}# ftpipe: the local store and caches, and API keys\n${missing.join('\n')}\n`);
  return true;
}

/** The schema for editors: the running package's copy, relative when it lives inside the project (node_modules/ftpipe). */
function schemaReference(recipeDir: string): string {
  const schema = join(schemasDir, 'pipeline.schema.json');
  const project = resolve(recipeDir, '..');
  if (schema.startsWith(project + sep)) return relative(recipeDir, schema).split(sep).join('/');
  return relative(recipeDir, join(project, 'node_modules', 'ftpipe', 'schemas', 'pipeline.schema.json')).split(sep).join('/');
}

function projectName(dir: string): string {
  return basename(dir).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'finetune';
}

function displayDir(dir: string): string {
  return relative(process.cwd(), dir) || '.';
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, path)));
    else out.push(path);
  }
  return out.sort();
}
