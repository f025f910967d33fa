/**
 * Checks made before a paid job is created: OpenAI stops creating self-serve fine-tuning jobs on
 * openaiFineTuningEndDate, and a base model past its shutdown date cannot be trained.
 */
import { FtpipeError, ExitCode } from '../errors.js';
import { openaiFineTuningEndDate } from '../models/catalog.js';
import type { ProviderIdentity } from '../providers/types.js';
import { isOpenAIPlatform } from './openai-platform.js';

export { isOpenAIPlatform } from './openai-platform.js';

export function assertCanCreateJob(options: { identity: ProviderIdentity; today: string; allowAfterEnd?: boolean; stage?: string }): void {
  if (!isOpenAIPlatform(options.identity) || options.allowAfterEnd) return;
  if (options.today < openaiFineTuningEndDate) return;
  throw new FtpipeError(
    `OpenAI stopped creating self-serve fine-tuning jobs on ${openaiFineTuningEndDate}; today is ${options.today}`,
    'PROVIDER_FINE_TUNING_ENDED',
    {
      stage: options.stage,
      exitCode: ExitCode.usage,
      hint: 'switch provider (azure, openai-compatible, local), or set allow_after_openai_end: true on the train stage if your organization still has access',
    },
  );
}

export function isoToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
