/**
 * Collects per-example analyses into the validate report: exact counts, capped findings, bounded-memory
 * distributions, the epoch heuristic and the billing estimate.
 */
import { modelFacts } from '../models/catalog.js';
import { FindingLog, type Finding } from './findings.js';
import { IntDistribution, type DistributionSummary, type Histogram } from './distribution.js';
import { defaultEpochs, estimateBilling, type Billing, type TrainingPricing } from './billing.js';
import type { TextAnalysis } from './analyze-batch.js';
import type { EncodingName } from './tokens.js';

/** OpenAI rejects training files with fewer examples. */
export const MIN_EXAMPLES = 10;
const MAX_OVER_LIMIT_LISTED = 1000;

export interface ValidationReport {
  n_examples: number;
  n_valid: number;
  model: string;
  encoding: EncodingName;
  method: 'sft' | 'dpo' | 'unknown';
  training_example_limit: number;
  format_errors: Record<string, number>;
  finding_counts: Record<string, number>;
  findings: Finding[];
  counts: { missing_system: number; missing_user: number; over_limit: number };
  distributions: Record<'messages_per_example' | 'total_tokens' | 'assistant_tokens', DistributionSummary>;
  percentiles_note: string;
  histograms: Record<'total_tokens' | 'assistant_tokens', Histogram>;
  over_limit: Array<{ file: string; line: number; tokens: number }>;
  epochs: { n_epochs: number; source: 'param' | 'heuristic' };
  billing: Billing;
}

export class ValidationAggregator {
  readonly log = new FindingLog();
  readonly formatErrors: Record<string, number> = {};
  private nExamples = 0;
  private nValid = 0;
  private missingSystem = 0;
  private missingUser = 0;
  private tokensPerEpoch = 0;
  private readonly methods = new Set<'sft' | 'dpo'>();
  private readonly overLimit: ValidationReport['over_limit'] = [];
  private overLimitCount = 0;
  private readonly messages = new IntDistribution();
  private readonly total = new IntDistribution();
  private readonly assistant = new IntDistribution();
  readonly limit: number;

  constructor(private readonly options: { model: string; encoding: EncodingName; method: 'sft' | 'dpo' | 'auto' }) {
    this.limit = modelFacts(options.model)?.trainingExampleLimit ?? 65_536;
  }

  /** A problem from the reader (bad UTF-8, bad JSON, empty file): a format error. */
  readProblem(finding: Finding): void {
    if (finding.severity === 'error') this.formatErrors[finding.kind] = (this.formatErrors[finding.kind] ?? 0) + 1;
    // An undecodable line is an example that could not be read; other read problems are file-level.
    if (finding.kind === 'invalid_utf8' || finding.kind === 'line_too_long') this.nExamples++;
    this.log.add(finding);
  }

  add(where: { file: string; line: number }, analysis: TextAnalysis): void {
    this.nExamples++;
    const error = (kind: string, message: string) => {
      this.formatErrors[kind] = (this.formatErrors[kind] ?? 0) + 1;
      this.log.add({ kind, severity: 'error', ...where, message });
    };
    if ('parseError' in analysis) return error('invalid_json', `not valid JSON (${analysis.parseError})`);
    for (const issue of analysis.errors) error(issue.kind, issue.message);
    if (analysis.method !== 'unknown') {
      const wanted = this.options.method;
      if (wanted !== 'auto' && analysis.method !== wanted) error('wrong_method', `a ${analysis.method} example in a ${wanted} dataset`);
      else if (wanted === 'auto' && this.methods.size === 1 && !this.methods.has(analysis.method)) error('mixed_methods', `a ${analysis.method} example among ${[...this.methods][0]} examples`);
      else this.methods.add(analysis.method);
    }
    if (analysis.errors.length > 0 || analysis.method === 'unknown') return;
    this.nValid++;
    if (analysis.missingSystem) this.missingSystem++;
    if (analysis.missingUser) {
      this.missingUser++;
      this.log.add({ kind: 'missing_user', severity: 'warning', ...where, message: 'no user message' });
    }
    this.messages.add(analysis.nMessages);
    this.total.add(analysis.totalTokens);
    this.assistant.add(analysis.assistantTokens);
    this.tokensPerEpoch += Math.min(this.limit, analysis.totalTokens);
    if (analysis.totalTokens > this.limit) {
      this.overLimitCount++;
      if (this.overLimit.length < MAX_OVER_LIMIT_LISTED) this.overLimit.push({ ...where, tokens: analysis.totalTokens });
      this.log.add({ kind: 'over_limit', severity: 'warning', ...where, message: `${analysis.totalTokens} tokens, over the ${this.limit}-token limit of ${this.options.model}: it will be truncated` });
    }
  }

  finish(options: { nEpochs?: number; provider?: string; pricing?: TrainingPricing; files: string[] }): ValidationReport {
    const firstFile = options.files[0];
    const { model, encoding } = this.options;
    if (this.nValid < MIN_EXAMPLES) {
      this.log.add({ kind: 'too_few_examples', severity: 'error', file: firstFile, line: 0, message: `${this.nValid} valid examples; fine-tuning needs at least ${MIN_EXAMPLES}` });
    }
    const facts = modelFacts(model);
    if (!facts) this.log.add({ kind: 'unknown_model', severity: 'warning', file: firstFile, line: 0, message: `model "${model}" is not in ftpipe's catalog: assuming ${encoding} and a ${this.limit}-token limit, price unknown` });
    else if (!facts.fineTunable) this.log.add({ kind: 'model_not_fine_tunable', severity: 'error', file: firstFile, line: 0, message: `model "${model}" cannot be fine-tuned` });
    const epochs = options.nEpochs !== undefined ? { n_epochs: options.nEpochs, source: 'param' as const } : { n_epochs: defaultEpochs(this.nValid), source: 'heuristic' as const };
    return {
      n_examples: this.nExamples,
      n_valid: this.nValid,
      model,
      encoding,
      method: this.methods.size === 1 ? [...this.methods][0] : 'unknown',
      training_example_limit: this.limit,
      format_errors: this.formatErrors,
      finding_counts: this.log.counts,
      // Reader problems arrive before the analyses of earlier batches: list findings in file order.
      findings: [...this.log.stored].sort((a, b) => options.files.indexOf(a.file) - options.files.indexOf(b.file) || a.line - b.line),
      counts: { missing_system: this.missingSystem, missing_user: this.missingUser, over_limit: this.overLimitCount },
      distributions: { messages_per_example: this.messages.summary(), total_tokens: this.total.summary(), assistant_tokens: this.assistant.summary() },
      percentiles_note: 'p5 and p95 are the real 5th and 95th percentiles (numpy linear interpolation); the cookbook labels its 0.1/0.9 quantiles p5/p95',
      histograms: { total_tokens: this.total.histogram(), assistant_tokens: this.assistant.histogram() },
      over_limit: this.overLimit,
      epochs,
      billing: estimateBilling({ model, provider: options.provider, pricing: options.pricing, tokensPerEpoch: this.tokensPerEpoch, epochs: epochs.n_epochs }),
    };
  }
}
