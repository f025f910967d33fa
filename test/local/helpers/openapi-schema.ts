/**
 * Validates real responses against OpenAI's published OpenAPI document: the whole document is added to
 * ajv (draft 2020-12) under an $id, so `#/components/schemas/...` refs resolve inside it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

const DOCUMENT_ID = 'https://api.openai.com/openapi.yaml';
let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv2020 {
  if (ajv) return ajv;
  const document = loadDocument();
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  (addFormats as unknown as (a: unknown) => void)(ajv);
  ajv.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
  upgradeExclusiveBounds(document);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  return ajv;
}

/** Throws with ajv's errors when `value` does not match components.schemas[name]. */
export function expectSchema(name: string, value: unknown): void {
  let validate = compiled.get(name);
  if (!validate) {
    validate = instance().getSchema(`${DOCUMENT_ID}#/components/schemas/${name}`);
    if (!validate) throw new Error(`no schema ${name}`);
    compiled.set(name, validate);
  }
  if (!validate(value)) throw new Error(`${name} does not match OpenAI's schema: ${JSON.stringify(validate.errors, null, 1)}\nvalue: ${JSON.stringify(value).slice(0, 2000)}`);
}

/** A few schemas still use OpenAPI 3.0 keywords (boolean exclusiveMinimum, nullable): rewrite them for 2020-12. */
function upgradeExclusiveBounds(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(upgradeExclusiveBounds);
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof schema[flag] !== 'boolean') continue;
    if (schema[flag] && typeof schema[bound] === 'number') {
      schema[flag] = schema[bound];
      delete schema[bound];
    } else delete schema[flag];
  }
  // OpenAPI 3.0's `nullable: true` is spelled as a "null" type (and enum value) in 2020-12.
  if ('nullable' in schema) {
    if (schema.nullable === true && typeof schema.type === 'string') schema.type = [schema.type, 'null'];
    if (schema.nullable === true && Array.isArray(schema.enum)) schema.enum = [...schema.enum, null];
    delete schema.nullable;
  }
  Object.values(schema).forEach(upgradeExclusiveBounds);
}

/** Parsing the 3 MB YAML takes seconds; its JSON form is cached in the temp dir, keyed by the YAML's hash. */
function loadDocument(): Record<string, unknown> {
  const yamlText = readFileSync(join(import.meta.dirname, '../../fixtures/openapi/openai-openapi.yaml'), 'utf8');
  const cached = join(tmpdir(), `ftpipe-openai-openapi-${createHash('sha256').update(yamlText).digest('hex').slice(0, 16)}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8'));
  const document = parse(yamlText);
  const temp = `${cached}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(document));
  renameSync(temp, cached);
  return document;
}
