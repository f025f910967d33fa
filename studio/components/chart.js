// uPlot charts as Preact components: line curves (loss, accuracy) and histograms (token counts).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from '../html.js';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea'];

function usePlot(build, deps) {
  const ref = useRef(null);
  useEffect(() => {
    if (!ref.current) return undefined;
    // clientWidth includes the container's padding (6px a side).
    const width = Math.max(320, (ref.current.clientWidth || 600) - 14);
    const plot = build(width, ref.current);
    return () => plot?.destroy();
  }, deps);
  return ref;
}

/** x: numbers; series: [{ label, values }] with null gaps (empty CSV cells). */
export function LineChart({ title, xLabel, x, series, testId }) {
  const ref = usePlot(
    (width, el) =>
      new uPlot(
        {
          title,
          width,
          height: 260,
          scales: { x: { time: false } },
          axes: [{ label: xLabel }, {}],
          series: [{ label: xLabel }, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true, points: { show: x.length < 60 } }))],
        },
        [x, ...series.map((s) => s.values)],
        el,
      ),
    [title, x, series],
  );
  return html`<div class="chart" data-testid=${testId} ref=${ref}></div>`;
}

/** bins: [{ lo, hi, count }] as in the validate report. */
export function Histogram({ title, bins, testId }) {
  const ref = usePlot(
    (width, el) => {
      if (!bins?.length) return null;
      const x = bins.map((b) => b.lo);
      return new uPlot(
        {
          title,
          width,
          height: 220,
          scales: { x: { time: false, range: [bins[0].lo, bins[bins.length - 1].hi] }, y: { range: [0, Math.max(1, ...bins.map((b) => b.count)) * 1.1] } },
          axes: [{ label: 'tokens per example' }, { label: 'examples' }],
          legend: { show: false },
          series: [{}, { label: 'examples', fill: 'rgba(37,99,235,0.35)', stroke: '#2563eb', paths: uPlot.paths.bars({ align: 1, size: [1, Infinity] }), points: { show: false } }],
        },
        [x, bins.map((b) => b.count)],
        el,
      );
    },
    [title, bins],
  );
  if (!bins?.length) return html`<p class="muted">${title}: no data</p>`;
  return html`<div class="chart" data-testid=${testId} ref=${ref}></div>`;
}
