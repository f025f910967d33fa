/** What `ftpipe serve` prints: where the server is, and how to point a recipe or an SDK at it. */
import type { Flavour } from './routes/flavours.js';

export function flavourHint(flavour: Flavour, url: string, options: { account?: string; token: boolean }): string {
  const key = options.token ? '' : '  (any API key works)';
  switch (flavour) {
    case 'openai':
      return `local provider: ${url}\n  OPENAI_BASE_URL=${url}${key}\n`;
    case 'azure': {
      const root = url.replace(/\/v1$/, '');
      return `Azure OpenAI emulator: ${url}\n  provider: { kind: azure, base_url: ${url}, management_url: ${root}, resource: local, subscription_id: local, resource_group: local }\n  (AZURE_OPENAI_API_KEY and AZURE_MANAGEMENT_TOKEN${key || ': the token'})\n`;
    }
    case 'together':
      return `Together AI emulator: ${url}\n  provider: { kind: together, base_url: ${url} }   (TOGETHER_API_KEY${key || ': the token'})\n  TOGETHER_BASE_URL=${url}  TOGETHER_API_BASE_URL=${url}  for the together-ai SDK\n`;
    case 'fireworks':
      return `Fireworks AI emulator: ${url}\n  provider: { kind: fireworks, account: ${options.account ?? 'local-account'}, base_url: ${url} }   (FIREWORKS_API_KEY${key || ': the token'})\n`;
  }
}
