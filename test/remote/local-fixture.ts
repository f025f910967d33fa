/**
 * Shared set-up of the remote-stage tests: a temp workspace, a real local provider (in-process
 * server over real HTTP), and a small chat training file made from real Apache log lines (loghub):
 * classify a line as notice or error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { createProvider } from '../../src/providers/index.js';
import type { Provider, ProviderConfig } from '../../src/providers/types.js';

export const sysPrompt = 'Classify the Apache log line as notice or error.';

export function tempWorkspace(): string {
  return mkdtempSync(join(tmpdir(), 'ftpipe-remote-'));
}

/** `count` chat examples from the first distinct Apache log lines. */
export function writeTrainingFile(dir: string, count = 24, name = 'train.jsonl'): string {
  const csv = readFileSync(join(import.meta.dirname, '../fixtures/csv/loghub-Apache_2k.log_structured.csv'));
  const rows = parse(csv, { columns: true }) as Array<{ Level: string; Content: string }>;
  const lines = rows.slice(0, count).map((row) =>
    JSON.stringify({ messages: [{ role: 'system', content: sysPrompt }, { role: 'user', content: row.Content }, { role: 'assistant', content: row.Level }] }),
  );
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

export async function localProvider(workspace: string, extra: Partial<ProviderConfig> = {}): Promise<Provider> {
  // No data_dir: the default <workspace>/.ftpipe/local-provider, which `ftpipe infer` also finds.
  return createProvider({ kind: 'local', ...extra }, { workspace, env: {} });
}
