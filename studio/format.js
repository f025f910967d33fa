// Times as people read them: "420 ms", "1.2 s", "3 min", "2 h 5 min"; moments as "3 min ago".
export function duration(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.round(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function ago(iso, now = Date.now()) {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return '';
  const ms = now - at;
  if (ms < 45_000) return 'just now';
  if (ms < 86_400_000) return `${duration(ms).replace(/\.\d s$/, ' s')} ago`;
  const days = Math.round(ms / 86_400_000);
  return days < 14 ? `${days} day${days === 1 ? '' : 's'} ago` : new Date(at).toLocaleDateString();
}

/** What a stage's time cell says: its run time, or for a result from the cache, when it was made. */
export function stageTime(last) {
  if (!last) return '';
  if (last.state === 'cached' || last.state === 'restored') return last.producedAt ? `made ${ago(last.producedAt)}` : 'from an earlier run';
  if (last.state === 'skipped') return '';
  return duration(last.durationMs);
}
