/**
 * `ftpipe serve --fault …` strings → FaultConfig. One fault per flag:
 *   latency=200 · 429:first=3 · 429:p=0.1,retry-after=2 · 500:first=2 · 503:p=0.05 · drop:first=1
 *   job-fail-at=5 · step-delay=50 · seed=7        (add `,route=POST /v1/files` to target one route)
 */
import { FtpipeError, ExitCode } from '../errors.js';
import type { FaultConfig, FaultTrigger } from './faults.js';

export function parseFaultSpecs(specs: string[], base: FaultConfig = {}): FaultConfig {
  const config: FaultConfig = { ...base };
  for (const spec of specs) applySpec(config, spec.trim());
  return config;
}

function applySpec(config: FaultConfig, spec: string): void {
  const scalar = /^(latency|job-fail-at|step-delay|seed)=(\d+)$/.exec(spec);
  if (scalar) {
    const value = Number(scalar[2]);
    if (scalar[1] === 'latency') config.latencyMs = value;
    else if (scalar[1] === 'job-fail-at') config.failJobAtStep = value;
    else if (scalar[1] === 'step-delay') config.stepDelayMs = value;
    else config.seed = value;
    return;
  }
  const triggered = /^(429|500|502|503|drop):(.+)$/.exec(spec);
  if (!triggered) throw badSpec(spec, 'unknown fault');
  const options = parseOptions(spec, triggered[2]);
  const trigger: FaultTrigger = {};
  if (options.first !== undefined) trigger.first = integer(spec, options.first);
  if (options.p !== undefined) trigger.probability = probability(spec, options.p);
  if (options.route !== undefined) trigger.routes = [options.route];
  if (trigger.first === undefined && trigger.probability === undefined) throw badSpec(spec, 'say when it fires: first=N or p=0.1');
  const kind = triggered[1];
  if (kind === '429') {
    config.rateLimit = { ...trigger, retryAfterSeconds: options['retry-after'] !== undefined ? Number(options['retry-after']) : undefined };
  } else if (kind === 'drop') {
    config.dropConnection = trigger;
  } else {
    config.serverError = { ...trigger, status: Number(kind) as 500 | 502 | 503 };
  }
}

function parseOptions(spec: string, text: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) throw badSpec(spec, `"${part}" is not key=value`);
    const key = part.slice(0, eq).trim();
    if (!['first', 'p', 'route', 'retry-after'].includes(key)) throw badSpec(spec, `unknown option "${key}"`);
    options[key] = part.slice(eq + 1).trim();
  }
  return options;
}

function integer(spec: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw badSpec(spec, `"${text}" is not a whole number`);
  return n;
}

function probability(spec: string, text: string): number {
  const p = Number(text);
  if (!(p >= 0 && p <= 1)) throw badSpec(spec, `probability "${text}" must be between 0 and 1`);
  return p;
}

function badSpec(spec: string, why: string): FtpipeError {
  return new FtpipeError(`Invalid --fault "${spec}": ${why}.`, 'FAULT_SPEC_INVALID', {
    exitCode: ExitCode.usage,
    hint: 'Examples: --fault latency=200, --fault 429:first=3, --fault 503:p=0.1, --fault drop:first=1, --fault job-fail-at=5, --fault step-delay=50',
  });
}

const TRIGGER_KEYS = new Set(['first', 'probability', 'routes', 'retryAfterSeconds', 'status']);
const CONFIG_KEYS: Record<string, 'number' | 'trigger'> = {
  latencyMs: 'number', failJobAtStep: 'number', stepDelayMs: 'number', seed: 'number',
  rateLimit: 'trigger', serverError: 'trigger', dropConnection: 'trigger',
};

/** A `faults:` object from a recipe's provider block, checked key by key (`where` names it in errors). */
export function faultConfigFrom(value: unknown, where: string): FaultConfig {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badConfig(where, 'must be an object');
  for (const [key, v] of Object.entries(value)) {
    const kind = CONFIG_KEYS[key];
    if (!kind) throw badConfig(`${where}.${key}`, `is not a fault (known: ${Object.keys(CONFIG_KEYS).join(', ')})`);
    if (kind === 'number' && !(typeof v === 'number' && v >= 0)) throw badConfig(`${where}.${key}`, 'must be a number ≥ 0');
    if (kind === 'trigger') {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badConfig(`${where}.${key}`, 'must be an object like { first: 2 } or { probability: 0.1 }');
      for (const [option, o] of Object.entries(v)) {
        if (!TRIGGER_KEYS.has(option)) throw badConfig(`${where}.${key}.${option}`, `is not an option (known: ${[...TRIGGER_KEYS].join(', ')})`);
        if (option === 'routes' ? !Array.isArray(o) : typeof o !== 'number') throw badConfig(`${where}.${key}.${option}`, option === 'routes' ? 'must be a list of route keys' : 'must be a number');
      }
    }
  }
  return value as FaultConfig;
}

function badConfig(where: string, why: string): FtpipeError {
  return new FtpipeError(`${where} ${why}.`, 'FAULT_CONFIG_INVALID', { exitCode: ExitCode.usage, hint: 'See docs/local-provider.md, "Fault injection".' });
}
