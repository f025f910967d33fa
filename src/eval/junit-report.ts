/**
 * The eval as JUnit XML for CI dashboards (`junit: true`): one test suite per model, one test case per
 * sample (a failure carries the expected ideal and the answer got), and a "thresholds" suite whose
 * cases fail when a gate fails. Built with junit-report-builder; text is cleaned of characters XML
 * cannot hold.
 */
import junitReport, { type Builder } from 'junit-report-builder';
import type { EvalReport } from './eval-report.js';
import { fmt } from './thresholds.js';

// A CommonJS package typed with a `default` export: at run time the default import is the builder itself.
const junit = ((junitReport as unknown as { default?: Builder }).default ?? junitReport) as unknown as Builder;

export function junitXml(report: EvalReport, stage: string): string {
  const builder = junit.newBuilder();
  for (const model of report.models) {
    const suite = builder.testSuite().name(`${stage} · ${model.label}`).property('model', model.id).property(report.score_name, model.score === null ? '' : String(model.score));
    for (const row of report.rows) {
      const answer = row.answers[model.label];
      const testCase = suite.testCase().className(`${stage}.${model.label}`).name(`${relativeName(row.file)}:${row.line}`).file(row.file);
      if (answer.latency_ms !== undefined) testCase.time(answer.latency_ms / 1000);
      if (answer.score !== null && answer.score < 1) {
        const expected = Array.isArray(row.ideal) ? row.ideal.join(' | ') : row.ideal;
        testCase.failure(xmlSafe(`expected ${quote(expected)}, got ${quote(answer.answer)} (${report.score_name} ${fmt(answer.score)})`), report.metric).stacktrace(xmlSafe(`expected:\n${expected}\n\ngot:\n${answer.answer}`));
      }
    }
  }
  if (report.thresholds) {
    const suite = builder.testSuite().name(`${stage} · thresholds`);
    for (const name of ['min_score', 'must_beat_base'] as const) {
      const value = report.thresholds[name];
      if (value === undefined || value === false) continue;
      const testCase = suite.testCase().className(`${stage}.thresholds`).name(`${name}: ${String(value)}`);
      if (report.thresholds.failed.includes(name)) testCase.failure(xmlSafe(report.thresholds.failures.join('; ')), 'threshold');
    }
  }
  return builder.build();
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 200 ? `${flat.slice(0, 197)}…` : flat);
}

/** XML 1.0 allows neither most control characters nor lone surrogates. */
function xmlSafe(text: string): string {
  return text.replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

function relativeName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
