/** What to do about the errors Fireworks users meet most (the message itself is Fireworks'). */
import { APIError } from 'openai';

export function fireworksHint(account: string) {
  return (error: unknown): string | undefined => {
    if (!(error instanceof APIError)) return undefined;
    const message = String((error.error as { message?: string } | undefined)?.message ?? error.message);
    if (error.status === 401) return 'Fireworks rejected the key: check FIREWORKS_API_KEY (or the variable provider.api_key_env names)';
    if (/base model|not tunable/i.test(message)) return 'pick a model Fireworks fine-tunes, e.g. accounts/fireworks/models/llama-v3p1-8b-instruct (models with tunable: true)';
    if (error.status === 403 || (error.status === 404 && /account/i.test(message))) return `check provider.account ("${account}"): it must be your Fireworks account id (\`firectl whoami\`), and the key must belong to it`;
    return undefined;
  };
}
