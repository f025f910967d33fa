#!/usr/bin/env node
// Writes docs/stages.md from the stage schemas (schemas/stages/*.schema.json): one section per stage
// type with its params. `node scripts/stage-docs.mjs --check` fails if the committed file is stale.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'schemas', 'stages');
const typeOf = (p) => {
  if (p.enum) return p.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (p.oneOf || p.anyOf) return (p.oneOf ?? p.anyOf).map(typeOf).join(' | ');
  if (p.type === 'array') return `${p.items ? typeOf(p.items) : 'any'}[]`;
  return Array.isArray(p.type) ? p.type.join(' | ') : (p.type ?? 'any');
};
const cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const lines = ['# Stage reference', '', 'Generated from `schemas/stages/*.schema.json` by `node scripts/stage-docs.mjs`; do not edit by hand.', ''];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort()) {
  const schema = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const type = file.replace('.schema.json', '');
  const required = new Set(schema.required ?? []);
  lines.push(`## ${type}`, '', cell(schema.description), '', '| param | type | required | default | description |', '| --- | --- | --- | --- | --- |');
  for (const [name, p] of Object.entries(schema.properties ?? {})) {
    lines.push(`| \`${name}\` | ${cell(typeOf(p))} | ${required.has(name) ? 'yes' : ''} | ${p.default === undefined ? '' : cell('`' + JSON.stringify(p.default) + '`')} | ${cell(p.description)} |`);
  }
  lines.push('');
}
const text = lines.join('\n');
const target = join(root, 'docs', 'stages.md');
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error('docs/stages.md is out of date: run node scripts/stage-docs.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
