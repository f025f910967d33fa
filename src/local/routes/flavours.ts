/**
 * One route table per vendor flavour over the shared core (files, jobs, trainer, faults): each table
 * maps its vendor's paths, bodies, states and errors to the core. No handler asks which flavour it is.
 *   openai    — OpenAI's API at /v1 (the local provider; `kind: openai`, `openai-compatible`)
 *   azure     — the same at /v1, plus Azure's ARM deployments at the root (`kind: azure`, management_url)
 *   together  — Together AI's API at /v1 (the together-ai SDK works against it unmodified)
 *   fireworks — Fireworks AI's REST API at /v1/accounts/… and its OpenAI-compatible /inference/v1
 */
import type { Route } from './route-table.js';
import { fileRoutes } from './files.js';
import { jobRoutes } from './jobs.js';
import { chatRoutes } from './chat.js';
import { modelRoutes } from './models.js';
import { uploadRoutes } from './uploads.js';
import { togetherRoutes } from './together/index.js';
import { fireworksRoutes } from './fireworks/index.js';
import { armDeploymentRoutes } from './azure/arm-deployments.js';

export const flavours = ['openai', 'azure', 'together', 'fireworks'] as const;
export type Flavour = (typeof flavours)[number];

export interface FlavourOptions {
  /** fireworks: the one account this server holds (default "local-account"). */
  account?: string;
  /** together: the account's credit limit; a price estimate above it says allowed_to_proceed: false. */
  creditLimitUsd?: number;
}

export interface FlavourTable {
  routes: Route[];
  /** What the server's URL ends with: the SDK's baseURL. */
  basePath: string;
}

const openaiRoutes: Route[] = [...fileRoutes, ...uploadRoutes, ...jobRoutes, ...chatRoutes, ...modelRoutes];

export function flavourTable(flavour: Flavour, context: { dataDir: string; options: FlavourOptions }): FlavourTable {
  switch (flavour) {
    case 'openai':
      return { routes: openaiRoutes, basePath: '/v1' };
    case 'azure':
      return { routes: [...openaiRoutes, ...armDeploymentRoutes(context)], basePath: '/v1' };
    case 'together':
      return { routes: togetherRoutes(context), basePath: '/v1' };
    case 'fireworks':
      return { routes: fireworksRoutes(context), basePath: '' };
  }
}

export function isFlavour(value: string): value is Flavour {
  return (flavours as readonly string[]).includes(value);
}
