/**
 * A separate process appending records through JsonlDatasetStore (bundled by the test with esbuild).
 * argv: dir dataset writerId count seed. Line sizes are random, from tiny to over 64 KiB.
 */
import { createHash } from 'node:crypto';
import { JsonlDatasetStore } from '../../src/record/jsonl-dataset-store.js';

const [dir, dataset, writer, countText, seedText] = process.argv.slice(2);
const store = new JsonlDatasetStore(dir);
let seed = Number(seedText);
// Deterministic per writer (mulberry32), so a failure can be replayed.
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const sizes = [10, 500, 3_000, 5_000, 20_000, 70_000];

const appends: Array<Promise<void>> = [];
for (let i = 0; i < Number(countText); i++) {
  const size = Math.floor(sizes[Math.floor(random() * sizes.length)] * (0.5 + random()));
  const content = String.fromCharCode(97 + (i % 26)).repeat(size);
  const id = `${writer}-${i}`;
  const digest = createHash('sha256').update(content).digest('hex').slice(0, 16);
  appends.push(store.append(dataset, { messages: [{ role: 'user', content: id }, { role: 'assistant', content }], metadata: { writer, id, digest } }));
  // Keep several appends in flight at once within the process too.
  if (appends.length >= 8) await Promise.all(appends.splice(0));
}
await Promise.all(appends);
