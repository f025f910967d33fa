// The recipe's stages as a left-to-right graph: columns by depth (longest chain of needs), SVG edges.
// The whole graph is fitted to the page (the viewBox); the wheel zooms at the pointer, dragging pans,
// and "Reset view" fits it again.
import { useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { stageTime } from '../format.js';

const COL = 190;
const ROW = 74;
const W = 160;
const H = 54;

export function DagView({ stages }) {
  const { pos, width, height } = layout(stages);
  const fitted = { x: 0, y: 0, w: width, h: height };
  const [view, set] = useState(null); // null: fitted
  const drag = useRef(null);
  const svg = useRef(null);
  const current = view ?? fitted;
  const toView = (clientX, clientY) => {
    const box = svg.current.getBoundingClientRect();
    // preserveAspectRatio meet: one scale for both axes, the graph centred in the other one.
    const scale = Math.min(box.width / current.w, box.height / current.h);
    const offX = (box.width - current.w * scale) / 2;
    const offY = (box.height - current.h * scale) / 2;
    return { x: current.x + (clientX - box.left - offX) / scale, y: current.y + (clientY - box.top - offY) / scale, scale };
  };
  const onWheel = (e) => {
    e.preventDefault();
    const at = toView(e.clientX, e.clientY);
    const factor = Math.exp(Math.sign(e.deltaY) * 0.15);
    const w = Math.min(width * 4, Math.max(width / 8, current.w * factor));
    const k = w / current.w;
    set({ x: at.x - (at.x - current.x) * k, y: at.y - (at.y - current.y) * k, w, h: current.h * k });
  };
  const onPointerDown = (e) => {
    drag.current = { x: e.clientX, y: e.clientY, view: current, scale: toView(e.clientX, e.clientY).scale };
    e.currentTarget.setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e) => {
    const d = drag.current;
    if (!d) return;
    set({ ...d.view, x: d.view.x - (e.clientX - d.x) / d.scale, y: d.view.y - (e.clientY - d.y) / d.scale });
  };
  const end = () => (drag.current = null);
  return html`<div class="dag-box">
    <button class="small reset" onClick=${() => set(null)} title="fit the whole graph">Reset view</button>
    <svg class="dag" ref=${svg} data-testid="dag" viewBox=${`${current.x} ${current.y} ${current.w} ${current.h}`} preserveAspectRatio="xMidYMid meet"
      style=${`height: ${Math.min(480, Math.max(160, height))}px`}
      onWheel=${onWheel} onPointerDown=${onPointerDown} onPointerMove=${onPointerMove} onPointerUp=${end} onPointerLeave=${end}>
      ${stages.flatMap((s) => s.needs.filter((n) => pos.has(n)).map((n) => {
        const a = pos.get(n);
        const b = pos.get(s.id);
        return html`<path d=${`M${a.x + W},${a.y + H / 2} C${a.x + W + 20},${a.y + H / 2} ${b.x - 20},${b.y + H / 2} ${b.x},${b.y + H / 2}`} />`;
      }))}
      ${stages.map((s) => {
        const p = pos.get(s.id);
        const state = s.last?.state ?? (s.locked ? 'locked' : 'new');
        const time = stageTime(s.last);
        return html`<g transform=${`translate(${p.x},${p.y})`} class=${`node ${state}`}>
          <title>${s.last?.summary ?? ''}${s.last?.error ? `\n${s.last.error}` : ''}</title>
          <rect width=${W} height=${H} rx="6" />
          <text x="10" y="20" class="id">${s.id}</text>
          <text x="10" y="40" class="sub">${s.uses} · ${state}${time ? ` · ${time}` : ''}</text>
        </g>`;
      })}
    </svg>
  </div>`;
}

function layout(stages) {
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
  const width = 20 + (Math.max(0, ...depth.values()) + 1) * COL - (COL - W);
  const height = 20 + Math.max(1, ...rows.values()) * ROW - (ROW - H);
  return { pos, width, height };
}
