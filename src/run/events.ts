/** What the engine emits while it plans and runs; reporters (listr2, plain lines, JSON) display it. */
export type StageState = 'cached' | 'restored' | 'ran' | 'failed' | 'skipped' | 'interrupted';

export type RunEvent =
  | { type: 'run:start'; recipe: string; stages: string[]; time: string }
  | { type: 'stage:decided'; id: string; action: 'cached' | 'restore' | 'run' | 'skip'; reasons: string[] }
  | { type: 'stage:start'; id: string }
  | { type: 'stage:progress'; id: string; done?: number; total?: number; message?: string }
  | { type: 'stage:log'; id: string; level: 'debug' | 'info' | 'warn'; message: string }
  | { type: 'stage:end'; id: string; state: StageState; durationMs: number; summary?: string; error?: { message: string; code: string; hint?: string } }
  /** reused: stages that ran but reused earlier work (an adopted job, cached answers), in recipe order. */
  | { type: 'run:end'; ok: boolean; durationMs: number; counts: Record<StageState, number>; reused?: Array<{ id: string; what: string }> }
  | { type: 'warning'; message: string };

export interface Reporter {
  onEvent(event: RunEvent): void;
  /** Called once at the end (flush, stop renderers). */
  close?(): Promise<void> | void;
}
