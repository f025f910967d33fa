/**
 * The benchmark: `npm run bench -- [sections…] [--examples N] [--dir D]`. Each section is a function
 * registered by name below; with no names, all but scale (1M examples, ~1 GB) run.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cleanSection, scaleSection, threadsSection, validateSection, type BenchOptions } from './data-sections.js';
import { tokenizerSection } from './tokenizer-section.js';
import { engineSection } from './engine-section.js';
import { folderSection } from './folder-section.js';
import { trlSection } from './trl-section.js';
import { retrieverSection, serveSection } from './local-sections.js';

const sections: Record<string, (options: BenchOptions) => Promise<void>> = {
  tokenizer: tokenizerSection,
  validate: validateSection,
  clean: cleanSection,
  threads: threadsSection,
  engine: engineSection,
  folder: folderSection,
  trl: trlSection,
  retriever: retrieverSection,
  serve: serveSection,
  // 1M examples (~1 GB generated): run it by name.
  scale: scaleSection,
};
const defaultSections = ['tokenizer', 'validate', 'clean', 'threads', 'engine'];

const { values, positionals } = parseArgs({ allowPositionals: true, options: { examples: { type: 'string', default: '1000000' }, dir: { type: 'string' } } });
const names = positionals.length > 0 ? positionals : defaultSections;
const unknown = names.filter((n) => !(n in sections));
if (unknown.length > 0) {
  console.error(`unknown bench section(s): ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'ftpipe-bench-'));
mkdirSync(dir, { recursive: true });
const options: BenchOptions = { dir, examples: Number(values.examples) };
try {
  for (const name of names) await sections[name](options);
} finally {
  if (!values.dir) rmSync(dir, { recursive: true, force: true });
}
