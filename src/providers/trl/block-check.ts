/**
 * The block is validated with the recipe (file:line:col), except when `--provider trl` retargets a recipe
 * written for another kind: then the fields it carries are checked here, so a stray field fails clearly.
 */
import { ExitCode, FtpipeError } from '../../errors.js';
import { compileInlineSchema } from '../../recipe/schema-check.js';
import type { ProviderConfig } from '../types.js';
import { trlBlockProperties } from './block.js';

export async function checkTrlBlock(config: ProviderConfig): Promise<void> {
  const validate = await compileInlineSchema({ type: 'object', properties: { kind: true, ...trlBlockProperties }, additionalProperties: false });
  if (validate(config)) return;
  const problems = (validate.errors ?? []).map((e) =>
    e.keyword === 'additionalProperties' ? `unknown field ${(e.params as { additionalProperty: string }).additionalProperty}` : `${e.instancePath.slice(1) || 'block'} ${e.message}`,
  );
  throw new FtpipeError(`provider trl: ${[...new Set(problems)].join('; ')}`, 'RECIPE_INVALID', {
    hint: "the provider block was written for another kind (--provider only changes the kind): give trl its own block, see docs/trl.md",
    exitCode: ExitCode.usage,
  });
}
