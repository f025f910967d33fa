/** What `ftpipe serve` prints: where the server is, the key clients must send, and how to point a recipe or an SDK at it. */
import type { Flavour } from './routes/flavours.js';

/** `key`: how to name the token clients send as their API key (its value when made for this run, else the variable). */
export function flavourHint(flavour: Flavour, url: string, options: { account?: string; key: string }): string {
  const { key } = options;
  switch (flavour) {
    case 'openai':
      return `local provider: ${url}\n  OPENAI_BASE_URL=${url}\n  OPENAI_API_KEY=${key}\n`;
    case 'azure': {
      const root = url.replace(/\/v1$/, '');
      return `Azure OpenAI emulator: ${url}\n  provider: { kind: azure, base_url: ${url}, management_url: ${root}, resource: local, subscription_id: local, resource_group: local }\n  AZURE_OPENAI_API_KEY=${key}\n  AZURE_MANAGEMENT_TOKEN=${key}\n`;
    }
    case 'together':
      return `Together AI emulator: ${url}\n  provider: { kind: together, base_url: ${url} }\n  TOGETHER_API_KEY=${key}\n  TOGETHER_BASE_URL=${url}  TOGETHER_API_BASE_URL=${url}  for the together-ai SDK\n`;
    case 'fireworks':
      return `Fireworks AI emulator: ${url}\n  provider: { kind: fireworks, account: ${options.account ?? 'local-account'}, base_url: ${url} }\n  FIREWORKS_API_KEY=${key}\n`;
  }
}
