// The recipe's stages as a left-to-right graph: columns by depth (longest chain of needs), SVG edges.
import { html } from '../html.js';

const COL = 190;
const ROW = 74;
const W = 160;
const H = 54;

export function DagView({ stages }) {
  const byId = new Map(stages.map((s) => [s.id, s]));
  const depth = new Map();
  const depthOf = (id, seen = new Set()) => {
    if (depth.has(id)) return depth.get(id);
    if (seen.has(id)) return 0; // a cycle: the engine reports it; draw something anyway
    seen.add(id);
    const d = Math.max(-1, ...byId.get(id).needs.filter((n) => byId.has(n)).map((n) => depthOf(n, seen))) + 1;
    depth.set(id, d);
    return d;
  };
  const rows = new Map();
  const pos = new Map();
  for (const s of stages) {
    const d = depthOf(s.id);
    const r = rows.get(d) ?? 0;
    rows.set(d, r + 1);
    pos.set(s.id, { x: 10 + d * COL, y: 10 + r * ROW });
  }
  const width = 20 + (Math.max(0, ...depth.values()) + 1) * COL;
  const height = 20 + Math.max(1, ...rows.values()) * ROW;
  return html`<svg class="dag" width=${width} height=${height} data-testid="dag">
    ${stages.flatMap((s) => s.needs.filter((n) => pos.has(n)).map((n) => {
      const a = pos.get(n);
      const b = pos.get(s.id);
      return html`<path d=${`M${a.x + W},${a.y + H / 2} C${a.x + W + 20},${a.y + H / 2} ${b.x - 20},${b.y + H / 2} ${b.x},${b.y + H / 2}`} />`;
    }))}
    ${stages.map((s) => {
      const p = pos.get(s.id);
      const state = s.last?.state ?? (s.locked ? 'locked' : 'new');
      return html`<g transform=${`translate(${p.x},${p.y})`} class=${`node ${state}`}>
        <title>${s.last?.summary ?? ''}${s.last?.error ? `\n${s.last.error}` : ''}</title>
        <rect width=${W} height=${H} rx="6" />
        <text x="10" y="20" class="id">${s.id}</text>
        <text x="10" y="40" class="sub">${s.uses} · ${state}${s.last?.durationMs !== undefined ? ` · ${duration(s.last.durationMs)}` : ''}</text>
      </g>`;
    })}
  </svg>`;
}

function duration(ms) {
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}
