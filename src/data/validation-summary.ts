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
  const cost = billing.estimated_cost_usd === null ? 'unknown (no price in the catalog)' : `$${billing.estimated_cost_usd.toFixed(2)}`;
  lines.push(
    `Training: ${epochs.n_epochs} epochs (${epochs.source === 'param' ? 'from n_epochs' : 'default heuristic'}), ` +
      `${billing.tokens_per_epoch.toLocaleString('en-US')} billed tokens per epoch, ${billing.billed_tokens.toLocaleString('en-US')} in total; estimated cost ${cost} (prices as of ${billing.price_as_of}).`,
  );
  const shown = report.findings.slice(0, 10);
  if (shown.length > 0) {
    lines.push('', '## First findings', '');
    for (const f of shown) lines.push(`- ${f.severity} \`${f.kind}\` ${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`);
  }
  return lines.join('\n') + '\n';
}

function row(name: string, d: DistributionSummary): string {
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  return `| ${name} | ${fmt(d.min)} | ${fmt(d.max)} | ${fmt(d.mean)} | ${fmt(d.median)} | ${fmt(d.p5)} | ${fmt(d.p95)} |`;
}
