/**
 * Runs one data stage in this (fresh) process and prints its wall and CPU time and peak RSS as JSON, so
 * each benchmark figure has a process of its own: `node stage-child.js <validate|clean> <params JSON> <dir>`.
 */
import validate from '../stages/validate.js';
import clean from '../stages/clean.js';
import type { StageDefinition } from '../src/stage/types.js';
import { benchContext } from './stage-context.js';
import { peakRssMb } from './peak-rss.js';

const stages: Record<string, StageDefinition<any>> = { validate, clean };
const [name, paramsJson, dir] = process.argv.slice(2);
const def = stages[name];
const started = performance.now();
const cpuStart = process.cpuUsage();
const result = await def.run(benchContext(def, JSON.parse(paramsJson), dir));
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(JSON.stringify({ seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, rssMb: peakRssMb(), summary: result?.summary ?? '' }));
