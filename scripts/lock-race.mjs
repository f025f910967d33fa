#!/usr/bin/env node
/**
 * Race test of the workspace lock with real processes (needs `npm run build`):
 *   node scripts/lock-race.mjs [--rounds 200] [--contenders 8]
 * Each round, all contenders wait at a barrier and try the lock at once; the winner logs enter/exit
 * around a short hold and exits without releasing (a crash), so every round starts from a stale lock of
 * a dead pid. Prints {rounds, contenders, holders, overlaps, ms} as JSON; exit 1 when any round had
 * other than exactly one holder or two holds overlapped. The test suite runs a few rounds of it.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';

const self = fileURLToPath(import.meta.url);
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

if (process.argv[2] === '--worker') await contend(...process.argv.slice(3));
else await main();

async function main() {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '200' }, contenders: { type: 'string', default: '8' } } });
  const rounds = Number(values.rounds);
  const contenders = Number(values.contenders);
  const dir = mkdtempSync(join(tmpdir(), 'ftpipe-lock-race-'));
  const lockDir = join(dir, 'ws', '.ftpipe', 'lock');
  const log = join(dir, 'holders.log');
  const barrier = join(dir, 'barrier');
  mkdirSync(barrier);
  writeFileSync(log, '');
  const started = Date.now();
  let spawned = 0;
  const start = (round) => {
    const name = `w${spawned++}`;
    const child = spawn(process.execPath, [self, '--worker', lockDir, log, barrier, name, String(round), String(contenders)], { stdio: ['ignore', 'inherit', 'inherit'] });
    return { name, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
  };
  let live = Array.from({ length: contenders }, () => start(0));
  const count = (prefix) => readdirSync(barrier).filter((f) => f.startsWith(prefix)).length;
  let badRounds = 0;
  for (let round = 0; round < rounds; round++) {
    while (count(`ready-${round}-`) < contenders) await sleep(5);
    writeFileSync(join(barrier, `go-${round}`), '');
    while (count(`done-${round}-`) < contenders) await sleep(5);
    const winners = readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith(`${round} enter `)).map((l) => l.split(' ')[2]);
    if (winners.length !== 1) badRounds++;
    for (const name of winners) {
      const gone = live.find((c) => c.name === name);
      await gone.exited; // its pid is dead before the next round
      live = live.filter((c) => c !== gone);
      live.push(start(round + 1));
    }
  }
  writeFileSync(join(barrier, 'stop'), '');
  await Promise.all(live.map((c) => c.exited));
  const lines = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
  let overlaps = 0;
  for (let i = 0; i + 1 < lines.length; i += 2) if (lines[i + 1] !== lines[i].replace(' enter ', ' exit ')) overlaps++;
  const holders = lines.filter((l) => l.includes(' enter ')).length;
  process.stdout.write(JSON.stringify({ rounds, contenders, holders, badRounds, overlaps, ms: Date.now() - started }) + '\n');
  process.exitCode = badRounds === 0 && overlaps === 0 && holders === rounds ? 0 : 1;
}

async function contend(lockDir, log, barrier, name, firstRound, contenders) {
  const { acquireWorkspaceLock } = await import('../dist/src/store/workspace-lock.js');
  for (let round = Number(firstRound); ; round++) {
    writeFileSync(join(barrier, `ready-${round}-${name}`), '');
    while (!existsSync(join(barrier, `go-${round}`))) {
      if (existsSync(join(barrier, 'stop'))) process.exit(0);
      pause(2);
    }
    let held = false;
    try {
      await acquireWorkspaceLock(lockDir);
      held = true;
    } catch (error) {
      if (error?.code !== 'WORKSPACE_LOCKED') throw error;
    }
    if (held) {
      appendFileSync(log, `${round} enter ${name}\n`);
      pause(30);
      appendFileSync(log, `${round} exit ${name}\n`);
    }
    writeFileSync(join(barrier, `done-${round}-${name}`), '');
    if (held) {
      // Alive until every contender of the round has tried (on a loaded machine one may start late and would
      // rightly take over a dead holder's lock); then gone without releasing: a crash.
      while (readdirSync(barrier).filter((f) => f.startsWith(`done-${round}-`)).length < Number(contenders)) pause(2);
      process.exit(0);
    }
  }
}
