/** What to do about the errors Together users meet most (the message itself is Together's). */
import { APIError } from 'openai';

export function togetherHint(error: unknown, action: string): string | undefined {
  if (!(error instanceof APIError)) return undefined;
  const message = String((error.error as { message?: string } | undefined)?.message ?? error.message);
  if (error.status === 401) return 'Together rejected the key: check TOGETHER_API_KEY (or the variable provider.api_key_env names)';
  if (/not supported for fine-tuning|model.*(not|does not) exist/i.test(message) && action.includes('job')) return 'pick a model Together fine-tunes: https://docs.together.ai/docs/fine-tuning-models (`ftpipe plan` lists the catalog\'s)';
  if (/non-serverless model/i.test(message)) return 'this fine-tune needs a dedicated endpoint: infer/eval deploy it (provider.serving: dedicated), or pick a base that supports serverless LoRA';
  if (error.status === 404) return 'the id does not exist on Together for this key (was it made with another provider or account?)';
  return undefined;
}
