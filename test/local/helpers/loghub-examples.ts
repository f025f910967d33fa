/** Chat fine-tuning examples built from the real loghub log lines in test/fixtures/csv. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export interface ChatExample {
  messages: Array<{ role: string; content: string }>;
}

const CSV_DIR = join(import.meta.dirname, '../../fixtures/csv');

export function loghubRows(system: string): Array<Record<string, string>> {
  return parse(readFileSync(join(CSV_DIR, `loghub-${system}_2k.log_structured.csv`), 'utf8'), { columns: true }) as Array<Record<string, string>>;
}

/** "Which system wrote this log line?": every `step`-th line of each system, labelled with the system name. */
export function logSourceExamples(options: { systems?: string[]; perSystem: number; offset?: number; step?: number }): ChatExample[] {
  const systems = options.systems ?? ['Apache', 'BGL', 'HDFS', 'Hadoop', 'Linux', 'OpenSSH'];
  const step = options.step ?? 7;
  const examples: ChatExample[] = [];
  for (const system of systems) {
    const rows = loghubRows(system);
    for (let i = 0; i < options.perSystem; i++) {
      const row = rows[((options.offset ?? 0) + i * step) % rows.length];
      examples.push(chat('Name the system that wrote this log line.', row.Content, system));
    }
  }
  return examples;
}

/** "Which component wrote this line?" for one system (a real, harder multi-class task). */
export function componentExamples(system: string, from: number, count: number): ChatExample[] {
  return loghubRows(system)
    .slice(from, from + count)
    .map((row) => chat('Name the component that wrote this log line.', row.Content, row.Component));
}

export function chat(system: string, user: string, answer: string): ChatExample {
  return { messages: [{ role: 'system', content: system }, { role: 'user', content: user }, { role: 'assistant', content: answer }] };
}

export function writeJsonl(path: string, examples: unknown[]): string {
  writeFileSync(path, examples.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return path;
}
