/**
 * Whether a provider is OpenAI's own platform, where OpenAI's dates (the 2027-01-06 end of self-serve
 * fine-tuning jobs, snapshot retirements) apply: kind openai (through any gateway, except a server on
 * this machine, such as an emulator), or an openai-compatible block whose base URL is OpenAI's.
 */
import type { ProviderIdentity } from '../providers/types.js';
import { isLoopbackUrl } from '../providers/loopback.js';

export function isOpenAIPlatform(identity: ProviderIdentity): boolean {
  if (identity.kind === 'openai') return identity.baseUrl === undefined || !isLoopbackUrl(identity.baseUrl);
  return identity.kind === 'openai-compatible' && identity.baseUrl !== undefined && isOpenAIUrl(identity.baseUrl);
}

export function isOpenAIUrl(url: string): boolean {
  return hostOf(url) === 'api.openai.com';
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return undefined;
  }
}
