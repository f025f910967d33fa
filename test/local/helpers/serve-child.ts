/** Runs the local server in a child process (so a test can kill it with SIGKILL): argv = dataDir stepDelayMs. */
import { startLocalServer } from '../../../src/local/server.js';

const [dataDir, stepDelayMs] = process.argv.slice(2);
const server = await startLocalServer({ dataDir, faults: { stepDelayMs: Number(stepDelayMs) } });
process.stdout.write(`URL ${server.url}\n`);
setInterval(() => {}, 1 << 30);
