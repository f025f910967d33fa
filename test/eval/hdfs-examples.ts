/**
 * Test data from a real log: HDFS lines (loghub) labelled with the component that logged them, as chat
 * examples. Rows are taken per component in file order, skipping `skip` rows per class, so training
 * and eval sets never share a row.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

const csvFile = join(import.meta.dirname, '../fixtures/csv/loghub-HDFS_2k.log_structured.csv');
const components = ['dfs.FSNamesystem', 'dfs.DataNode$PacketResponder', 'dfs.DataNode$DataXceiver', 'dfs.FSDataset'];
export const systemPrompt = 'Name the HDFS component that logged this line.';

export function writeHdfsExamples(file: string, options: { skip: number; perClass: number }): number {
  const rows = parse(readFileSync(csvFile), { columns: true }) as Array<Record<string, string>>;
  const lines: string[] = [];
  for (const component of components) {
    const picked = rows.filter((r) => r.Component === component).slice(options.skip, options.skip + options.perClass);
    for (const row of picked) {
      lines.push(JSON.stringify({ messages: [{ role: 'system', content: systemPrompt }, { role: 'user', content: row.Content }, { role: 'assistant', content: component }] }));
    }
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return lines.length;
}
