/**
 * The recipe's JSON Schema, built from the provider registry (one `if kind then block` branch per kind)
 * and, for the published file, from every stage schema (one `if uses then with` branch per type), so
 * editors flag what `ftpipe lint` flags. `schemas/pipeline.schema.json` is this, written by
 * `npm run schemas`; a test keeps it fresh.
 */
import { readFileSync } from 'node:fs';
import type { JsonSchema, ProviderAdapter } from '../providers/adapter.js';
import { builtinSchemaFile, builtinStageTypes } from '../stage/registry.js';

export const pipelineSchemaId = 'https://ftpipe.dev/schemas/pipeline.schema.json';

export function buildPipelineSchema(options: { adapters: ProviderAdapter[]; stageParams: boolean }): JsonSchema {
  const kinds = options.adapters.map((a) => a.kind);
  const stageTypes = builtinStageTypes();
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: pipelineSchemaId,
    title: 'ftpipe recipe',
    description: 'A fine-tuning pipeline: a DAG of stages. Add `# yaml-language-server: $schema=<path to this file>` at the top of a recipe for editor completion.',
    type: 'object',
    additionalProperties: false,
    required: ['stages'],
    properties: {
      name: { type: 'string', description: 'Name of the pipeline.' },
      description: { type: 'string', description: 'What the pipeline is for.' },
      vars: {
        type: 'object',
        description: 'Non-secret values used as ${{ vars.NAME }} anywhere in the recipe.',
        additionalProperties: { type: ['string', 'number', 'boolean'] },
      },
      provider: { $ref: '#/$defs/provider' },
      defaults: {
        type: 'object',
        description: 'Params given to every stage whose params schema has them and that does not set them itself (e.g. model, sys_prompt, task_type).',
      },
      stages: {
        type: 'object',
        description: "The stages, by id. Ids are lower-case letters, digits, '-' and '_'.",
        minProperties: 1,
        propertyNames: { pattern: '^[a-z][a-z0-9_-]*$' },
        additionalProperties: { $ref: '#/$defs/stage' },
      },
    },
    $defs: {
      provider: {
        type: 'object',
        description: `The fine-tuning provider, one of: ${kinds.join(', ')}. Keys are never written here: only the name of the environment variable that holds one (api_key_env).`,
        required: ['kind'],
        properties: {
          kind: { enum: kinds, description: options.adapters.map((a) => `${a.kind}: ${a.description}`).join(' ') },
        },
        allOf: options.adapters.map((a) => ({
          if: { properties: { kind: { const: a.kind } }, required: ['kind'] },
          then: { properties: { kind: true, ...a.block.properties }, required: a.block.required ?? [], additionalProperties: false },
        })),
      },
      stage: {
        type: 'object',
        additionalProperties: false,
        required: ['uses'],
        properties: {
          uses: {
            type: 'string',
            description: `Stage type (${stageTypes.join(', ')}) or a path to a local module (./stages-local/x.js).`,
            ...(options.stageParams ? { anyOf: [{ enum: stageTypes }, { pattern: '^(\\./|\\.\\./|/)' }] } : {}),
          },
          description: { type: 'string' },
          with: { type: 'object', description: "The stage's params; see schemas/stages/<uses>.schema.json." },
          needs: {
            description: 'Stages that must run first, besides those referenced in `with`.',
            oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
          },
        },
        ...(options.stageParams
          ? {
              allOf: stageTypes.map((type) => ({
                if: { properties: { uses: { const: type } }, required: ['uses'] },
                then: { properties: { with: { $ref: `#/$defs/with-${type}` } } },
              })),
            }
          : {}),
      },
      ...(options.stageParams ? Object.fromEntries(stageTypes.map((type) => [`with-${type}`, editorStageSchema(type)])) : {}),
    },
  };
}

/**
 * A stage's params as an editor sees them: before ftpipe fills `defaults` (so nothing is required here)
 * and before `${{ … }}` expressions are replaced (so any param may be one).
 */
function editorStageSchema(type: string): JsonSchema {
  const { $id: _id, $schema: _schema, required: _required, properties = {}, ...rest } = JSON.parse(readFileSync(builtinSchemaFile(type), 'utf8')) as JsonSchema & { properties?: Record<string, JsonSchema> };
  const expression = { type: 'string', pattern: '\\$\\{\\{', description: 'a ${{ vars.X }}, ${{ env.X }} or ${{ stages.X.outputs.Y }} expression' };
  const wrapped = Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, { description: schema.description, anyOf: [schema, expression] }]));
  // Inlined under $defs/with-<type>: its own "#/$defs/x" references must point there.
  return rebaseRefs({ ...rest, properties: wrapped }, `#/$defs/with-${type}/$defs/`) as JsonSchema;
}

function rebaseRefs(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rebaseRefs(v, base));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? base + v.slice('#/$defs/'.length) : rebaseRefs(v, base)]),
  );
}
