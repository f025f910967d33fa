// Records live model calls into a dataset, against ftpipe's local provider (offline, no key).
// Run after `npm run build`:  node examples/record.mjs
// With OpenAI instead: drop the local server and use `new OpenAI()` (reads OPENAI_API_KEY).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { recordingClient } from '../dist/src/index.js';
import { startLocalServer } from '../dist/src/local/server.js';

const work = await mkdtemp(join(tmpdir(), 'ftpipe-record-example-'));
const server = await startLocalServer({ port: 0, dataDir: join(work, 'provider') });
try {
  const client = recordingClient(new OpenAI({ baseURL: server.url, apiKey: 'local' }), {
    dir: join(work, 'datasets'),
    metadata: { app: 'issue-triage', env: 'example' }, // tags on every record
  });

  // `dataset` and `metadata` are taken off the request; everything else goes to the API unchanged.
  const reply = await client.chat.completions.create({
    model: 'gpt-4o-mini-2024-07-18',
    messages: [
      { role: 'system', content: 'Label the Antrea issue with its area.' },
      { role: 'user', content: 'NodePortLocal rules are not removed when a Pod is deleted' },
    ],
    dataset: 'triage',
    metadata: { ticket: 'T-101' },
  });
  console.log('reply:', reply.choices[0].message.content);

  // Streams reach the caller chunk by chunk; the record is written once the stream is complete.
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini-2024-07-18',
    messages: [{ role: 'user', content: 'Egress IP is not applied after agent restart' }],
    stream: true,
    dataset: 'triage',
    metadata: { ticket: 'T-102' },
  });
  for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');
  process.stdout.write('\n');

  await client.recorder.flush(); // appends run in the background: wait for them before exiting
  for await (const record of client.recorder.store.read('triage')) console.log(JSON.stringify(record.metadata));
  console.log(`\nrecorded into ${join(work, 'datasets', 'triage.jsonl')}`);
  console.log(`try: npx ftpipe datasets show triage --dir ${join(work, 'datasets')}`);
} finally {
  await server.close();
}
