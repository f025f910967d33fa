/**
 * Parses and analyzes example texts in batches, in up to N worker threads (token counting is the
 * expensive part and parallelises cleanly), returning results in input order: validate's full checks,
 * or clean's per-example facts (token totals and the dedupe digests).
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeExample, type ExampleAnalysis } from './example-check.js';
import { sharedRanks, countExampleTokens, type EncodingName } from './tokens.js';
import { DIGEST_BYTES, exampleDigests } from './example-keys.js';
import type { ChatExample } from './chat-example.js';

export type TextAnalysis = ExampleAnalysis | { parseError: string };

export interface AnalyzeRequest {
  id: number;
  /** analyze: full checks per text (TextAnalysis[]); facts: clean's ExampleFacts. */
  kind: 'analyze' | 'facts';
  texts: string[];
  facts?: FactsWanted;
}

export interface FactsWanted {
  tokens: boolean;
  digests: boolean;
  /** exampleDigests' canonicalExact. */
  canonicalExact: boolean;
}

/** Per example of a batch: cookbook total tokens (-1: not counted) and exampleDigests (2 × 16 bytes each). */
export interface ExampleFacts {
  totals: Int32Array;
  digests: Uint8Array;
}

/** clean's facts about each chat example JSON text (valid JSON: clean parsed or wrote each one). */
export function factsOf(texts: string[], encoding: EncodingName, wanted: FactsWanted, examples?: ChatExample[]): ExampleFacts {
  const totals = new Int32Array(texts.length).fill(-1);
  const digests = new Uint8Array(wanted.digests ? texts.length * 2 * DIGEST_BYTES : 0);
  for (let i = 0; i < texts.length; i++) {
    const example = examples ? examples[i] : (JSON.parse(texts[i]) as ChatExample);
    if (wanted.tokens) totals[i] = countExampleTokens(example, encoding).total;
    if (wanted.digests) exampleDigests(example, texts[i], wanted.canonicalExact, digests, i * 2 * DIGEST_BYTES);
  }
  return { totals, digests };
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
      worker.on('message', ({ id, results }: { id: number; results: TextAnalysis[] | ExampleFacts }) => {
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

  /** clean's facts about each example (see factsOf): inline from the objects, or in a worker from their JSON texts. */
  facts(texts: string[], examples: ChatExample[], wanted: FactsWanted): Promise<ExampleFacts> {
    if (this.workers.length === 0) return Promise.resolve(factsOf(texts, this.encoding, wanted, examples));
    return this.send('facts', texts, wanted);
  }

  private send<R>(kind: AnalyzeRequest['kind'], texts: string[], facts?: FactsWanted): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length].postMessage({ id, kind, texts, facts } satisfies AnalyzeRequest);
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
