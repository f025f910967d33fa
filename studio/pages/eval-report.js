// Reads the eval stage's report (src/eval/eval-report.ts: { score_name, bootstrap, models: [{ id, label,
// score, interval, usage, latency, metrics }], comparison: { difference, interval }, rows: [{ file, line,
// input, ideal, answers: { <label>: { answer, score } } }] }; per-label scores and confusion[ideal][predicted]
// in a model's classification metrics) into one shape for the page. Older or hand-written reports
// (scores by model, answers as plain strings) are read as well.

export function normalizeEvalReport(report) {
  const modelList = Array.isArray(report.models) ? report.models : [];
  const models = modelList.length ? modelList.map((m) => (typeof m === 'string' ? m : m.label ?? m.id)) : Object.keys(report.scores ?? {});
  const scores = { ...(report.scores ?? {}) };
  for (const m of modelList) if (m && typeof m === 'object') scores[m.label ?? m.id] = { [report.scoreName ?? 'score']: m.score, ...numbers(m.metrics) };
  const rows = (report.rows ?? report.samples ?? []).map((row, i) => {
    const answers = {};
    const verdicts = { ...(row.verdicts ?? {}) };
    for (const [model, a] of Object.entries(row.answers ?? {})) {
      answers[model] = a && typeof a === 'object' && 'answer' in a ? a.answer : a;
      if (a && typeof a === 'object' && 'score' in a) verdicts[model] = a.score;
    }
    return { id: row.line ?? i + 1, input: textOf(row.input), ideal: Array.isArray(row.ideal) ? row.ideal.join(', ') : textOf(row.ideal), answers, verdicts };
  });
  const intervals = Object.fromEntries(modelList.filter((m) => m && Array.isArray(m.interval)).map((m) => [m.label ?? m.id, m.interval]));
  const usage = Object.fromEntries(modelList.filter((m) => m?.usage).map((m) => [m.label ?? m.id, { ...m.usage, latency: m.latency ?? null }]));
  return { models, scores, intervals, usage, costUsd: report.cost_usd, rows, confusion: confusionMatrices(report, modelList, models), labelTables: labelTables(modelList), comparison: report.comparison ?? null, confidence: report.bootstrap?.confidence ?? 0.95 };
}

/** A row disagrees when the models' verdicts differ (different wording of the same verdict is agreement). */
export function disagrees(row, models) {
  const verdicts = new Set(models.map((m) => JSON.stringify(row.verdicts[m] ?? null)));
  return verdicts.size > 1;
}

/** [{ model, rows: [{ label, precision, recall, f1, support }], averages: [{ name, precision, recall, f1 }] }] from classification metrics. */
function labelTables(modelList) {
  const tables = [];
  for (const m of modelList) {
    const labels = m?.metrics?.labels;
    if (!labels || typeof labels !== 'object') continue;
    const rows = Object.entries(labels).map(([label, s]) => ({ label, ...s }));
    const averages = ['macro', 'micro', 'weighted'].filter((name) => m.metrics[name]).map((name) => ({ name, ...m.metrics[name] }));
    tables.push({ model: m.label ?? m.id, rows, averages });
  }
  return tables;
}

/** [{ model, labels, matrix }] from each model's confusion[ideal][predicted], or a report-level one. */
function confusionMatrices(report, modelList, models) {
  const found = [];
  for (const m of modelList) {
    const c = m?.metrics?.confusion ?? m?.metrics?.classification?.confusion;
    if (c && typeof c === 'object') found.push({ model: m.label ?? m.id, ...fromNested(c) });
  }
  const top = report.confusion ?? report.confusion_matrix;
  if (top && Array.isArray(top.labels)) found.push({ model: top.model ?? '', labels: top.labels, matrix: top.matrix ?? [] });
  return found.sort((a, b) => models.indexOf(a.model) - models.indexOf(b.model));
}

function fromNested(confusion) {
  const labels = [...new Set([...Object.keys(confusion), ...Object.values(confusion).flatMap((row) => Object.keys(row ?? {}))])].sort();
  return { labels, matrix: labels.map((ideal) => labels.map((predicted) => confusion[ideal]?.[predicted] ?? 0)) };
}

function numbers(metrics) {
  return Object.fromEntries(Object.entries(metrics ?? {}).filter(([, v]) => typeof v === 'number'));
}

export function textOf(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((m) => (m && typeof m === 'object' && 'role' in m ? `${m.role}: ${textOf(m.content)}` : textOf(m))).join('\n');
  return JSON.stringify(value);
}
