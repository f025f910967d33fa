#!/usr/bin/env node
// Writes schemas/pipeline.schema.json (for editors) from the provider registry and the stage schemas.
// Needs the build (npm run schemas builds first). `--check` fails if the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { buildPipelineSchema } = await import(join(root, 'dist/src/recipe/pipeline-schema.js'));
const { loadAllAdapters } = await import(join(root, 'dist/src/providers/registry.js'));
const text = JSON.stringify(buildPipelineSchema({ adapters: await loadAllAdapters(), stageParams: true }), null, 2) + '\n';
const target = join(root, 'schemas', 'pipeline.schema.json');
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error('schemas/pipeline.schema.json is out of date: run npm run schemas');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
