/**
 * Parses and analyzes example texts in batches, in up to N worker threads (token counting is the
 * expensive part and parallelises cleanly), returning results in input order.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeExample, type ExampleAnalysis } from './example-check.js';
import type { EncodingName } from './tokens.js';

export type TextAnalysis = ExampleAnalysis | { parseError: string };

export interface AnalyzeRequest {
  id: number;
  texts: string[];
}

export function analyzeTexts(texts: string[], encoding: EncodingName): TextAnalysis[] {
  return texts.map((text) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { parseError: (error as Error).message };
    }
    return analyzeExample(value, encoding);
  });
}

const workerUrl = new URL('./analyze-worker.js', import.meta.url);

export class AnalyzerPool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve(r: TextAnalysis[]): void; reject(e: Error): void }>();
  private nextId = 0;

  /** Workers run only from compiled JavaScript (under vitest the .ts sources run inline). */
  constructor(private readonly encoding: EncodingName, threads: number) {
    if (threads < 1 || !existsSync(fileURLToPath(workerUrl))) return;
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(workerUrl, { workerData: { encoding } });
      worker.on('message', ({ id, results }: { id: number; results: TextAnalysis[] }) => {
        this.waiting.get(id)?.resolve(results);
        this.waiting.delete(id);
      });
      worker.on('error', (error) => this.failAll(error));
      this.workers.push(worker);
    }
  }

  get threads(): number {
    return this.workers.length;
  }

  analyze(texts: string[]): Promise<TextAnalysis[]> {
    if (this.workers.length === 0) return Promise.resolve(analyzeTexts(texts, this.encoding));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length].postMessage({ id, texts } satisfies AnalyzeRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private failAll(error: Error): void {
    for (const pending of this.waiting.values()) pending.reject(error);
    this.waiting.clear();
  }
}
