/** The validate report as a short Markdown page for people (also logged by the stage). */
import type { ValidationReport } from './validation-report.js';
import type { DistributionSummary } from './distribution.js';

export function validationSummaryMarkdown(report: ValidationReport): string {
  const lines = [
    `# Training data check: ${report.n_valid} of ${report.n_examples} examples valid`,
    '',
    `Model \`${report.model}\` (${report.encoding}, ${report.training_example_limit.toLocaleString('en-US')}-token example limit), method ${report.method}.`,
    '',
  ];
  const formatKinds = Object.entries(report.format_errors);
  lines.push(formatKinds.length === 0 ? 'No format errors.' : `Format errors: ${formatKinds.map(([k, n]) => `${k} ${n}`).join(', ')}.`);
  lines.push('', `Examples without a system message: ${report.counts.missing_system}; without a user message: ${report.counts.missing_user}; over the token limit (truncated): ${report.counts.over_limit}.`, '');
  lines.push('| distribution | min | max | mean | median | p5 | p95 |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, d] of Object.entries(report.distributions)) lines.push(row(name, d));
  lines.push('', `p5/p95 are the real 5th/95th percentiles (the cookbook prints its 10th/90th under those names).`, '');
  const { billing, epochs } = report;
  const epochText = `Training: ${epochs.n_epochs} epochs (${epochs.source === 'param' ? 'from n_epochs' : 'default heuristic'}), `;
  if (billing.pricing === 'free') {
    lines.push(`${epochText}${billing.tokens_per_epoch.toLocaleString('en-US')} training tokens per epoch, ${billing.billed_tokens.toLocaleString('en-US')} in total; nothing is billed on ${billing.provider ?? 'this provider'}.`);
  } else {
    lines.push(
      `${epochText}${billing.tokens_per_epoch.toLocaleString('en-US')} billed tokens per epoch, ${billing.billed_tokens.toLocaleString('en-US')} in total; estimated cost ${costText(billing)}.`,
    );
  }
  const shown = report.findings.slice(0, 10);
  if (shown.length > 0) {
    lines.push('', '## First findings', '');
    for (const f of shown) lines.push(`- ${f.severity} \`${f.kind}\` ${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`);
  }
  return lines.join('\n') + '\n';
}

function costText(billing: ValidationReport['billing']): string {
  if (billing.estimated_cost_usd !== null) return `$${billing.estimated_cost_usd.toFixed(2)} (prices as of ${billing.price_as_of})`;
  if (billing.pricing === 'provider') return `from ${billing.provider ?? 'the provider'} itself once the file is uploaded (\`ftpipe plan\` asks it)`;
  if (billing.pricing === 'unknown') return `unknown (${billing.provider ?? 'this provider'} publishes no price ftpipe knows)`;
  return `unknown (no price in the catalog as of ${billing.price_as_of})`;
}

/** What the run log shows of the report: the format errors and the first findings (the rest stays in the report). */
export function validationLogLines(report: ValidationReport, shownFindings = 10): string[] {
  const lines: string[] = [];
  const formatKinds = Object.entries(report.format_errors);
  if (formatKinds.length > 0) lines.push(`format errors: ${formatKinds.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const { missing_system: noSystem, missing_user: noUser, over_limit: overLimit } = report.counts;
  if (noSystem + noUser + overLimit > 0) lines.push(`without a system message: ${noSystem}; without a user message: ${noUser}; over the token limit (truncated): ${overLimit}`);
  const total = Object.values(report.finding_counts).reduce((n, c) => n + c, 0);
  const shown = report.findings.slice(0, shownFindings);
  for (const f of shown) lines.push(`${f.severity} ${f.kind} ${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`);
  if (total > shown.length) lines.push(`… ${total - shown.length} more finding(s) in the report`);
  return lines;
}

function row(name: string, d: DistributionSummary): string {
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  return `| ${name} | ${fmt(d.min)} | ${fmt(d.max)} | ${fmt(d.mean)} | ${fmt(d.median)} | ${fmt(d.p5)} | ${fmt(d.p95)} |`;
}
