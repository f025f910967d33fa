/**
 * Parses and analyzes example texts in batches, in up to N worker threads (token counting is the
 * expensive part and parallelises cleanly), returning results in input order.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeExample, type ExampleAnalysis } from './example-check.js';
import { sharedRanks, countExampleTokens, type EncodingName } from './tokens.js';

export type TextAnalysis = ExampleAnalysis | { parseError: string };

export interface AnalyzeRequest {
  id: number;
  /** analyze: full checks per text (TextAnalysis[]); count: cookbook total tokens per example JSON (Int32Array). */
  kind: 'analyze' | 'count';
  texts: string[];
}

/** Cookbook total tokens of each example JSON text (0 for "", -1 when it does not parse). */
export function countTexts(texts: string[], encoding: EncodingName): Int32Array {
  const totals = new Int32Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    if (texts[i] === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(texts[i]);
    } catch {
      totals[i] = -1;
      continue;
    }
    totals[i] = countExampleTokens(value, encoding).total;
  }
  return totals;
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
  private readonly waiting = new Map<number, { resolve(r: any): void; reject(e: Error): void }>();
  private nextId = 0;

  /** Workers run only from compiled JavaScript (under vitest the .ts sources run inline). */
  constructor(private readonly encoding: EncodingName, threads: number) {
    if (threads < 1 || !existsSync(fileURLToPath(workerUrl))) return;
    for (let i = 0; i < threads; i++) {
      // One rank table for the process, shared (not copied) with every worker.
      const worker = new Worker(workerUrl, { workerData: { encoding, ranks: sharedRanks(encoding) } });
      worker.on('message', ({ id, results }: { id: number; results: TextAnalysis[] | Int32Array }) => {
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
    return this.send('analyze', texts);
  }

  /** Cookbook total tokens of each example JSON text (-1 when it does not parse). */
  countTokens(texts: string[]): Promise<Int32Array> {
    if (this.workers.length === 0) return Promise.resolve(countTexts(texts, this.encoding));
    return this.send('count', texts);
  }

  private send<R>(kind: AnalyzeRequest['kind'], texts: string[]): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length].postMessage({ id, kind, texts } satisfies AnalyzeRequest);
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
