/** Writes a realistic chat fine-tuning file: log-classification and Q&A examples of varied length. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const words = 'the a service request failed because connection timeout retry node cluster pod network policy egress proxy kernel memory disk error warning info user session token cache database query index latency throughput deploy rollback version config should would could please explain why how what when'.split(' ');
const labels = ['proxy', 'transit', 'network-policy', 'windows', 'agent', 'controller', 'dns'];
const unicode = ['café', 'naïve', '日本語', 'Ünïcödé', '🚀', 'señor', 'Straße'];

/** Deterministic pseudo-random numbers (xorshift), so every run benchmarks the same bytes. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function sentence(rnd: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    out.push(r < 0.03 ? unicode[Math.floor(rnd() * unicode.length)] : r < 0.08 ? String(Math.floor(rnd() * 100000)) : words[Math.floor(rnd() * words.length)]);
  }
  return out.join(' ') + '.';
}

/** Writes `examples` lines to `path`; returns the bytes written. Average ~2 KB per example. */
export async function generateChatFile(path: string, examples: number): Promise<number> {
  const rnd = random(42);
  const out = createWriteStream(path);
  let bytes = 0;
  let chunk: string[] = [];
  for (let i = 0; i < examples; i++) {
    const user = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => sentence(rnd, 8 + Math.floor(rnd() * 30))).join('\n');
    const classify = rnd() < 0.5;
    const answer = classify ? `'${labels[Math.floor(rnd() * labels.length)]}'` : Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => sentence(rnd, 10 + Math.floor(rnd() * 25))).join(' ');
    const line = JSON.stringify({ messages: [{ role: 'system', content: 'You are a helpful assistant for cluster operators.' }, { role: 'user', content: `title: issue ${i}. body: ${user}` }, { role: 'assistant', content: answer }] }) + '\n';
    bytes += Buffer.byteLength(line);
    chunk.push(line);
    if (chunk.length >= 1000) {
      if (!out.write(chunk.join(''))) await once(out, 'drain');
      chunk = [];
    }
  }
  out.end(chunk.join(''));
  await once(out, 'finish');
  return bytes;
}
