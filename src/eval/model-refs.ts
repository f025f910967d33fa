/**
 * The `models` param: ids or {id, label}. Labels name models in reports and thresholds. With two
 * unlabelled models the first is the base and the second the fine-tuned one, the usual comparison.
 */
import { FtpipeError } from '../errors.js';

export interface ModelRef {
  id: string;
  label: string;
}

export function readModelRefs(value: unknown): ModelRef[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new FtpipeError('param "models" must list at least one model', 'PARAM_INVALID', { hint: 'models: [gpt-4o-mini-2024-07-18, "${{ stages.wait.outputs.fine_tuned_model }}"]' });
  }
  const refs = list.map((item, i): { id: string; label?: string } => {
    if (typeof item === 'string' && item !== '') return { id: item };
    if (item && typeof item === 'object' && typeof item.id === 'string' && item.id !== '') return { id: item.id, label: typeof item.label === 'string' ? item.label : undefined };
    throw new FtpipeError(`models[${i}] must be a model id or {id, label}`, 'PARAM_INVALID', { hint: 'e.g. {id: gpt-4o-mini, label: base}' });
  });
  const defaults = refs.length === 2 && refs.every((r) => r.label === undefined) ? ['base', 'fine-tuned'] : [];
  const labelled = refs.map((r, i) => ({ id: r.id, label: r.label ?? defaults[i] ?? r.id }));
  const seen = new Set<string>();
  for (const ref of labelled) {
    if (seen.has(ref.label)) throw new FtpipeError(`two models are labelled "${ref.label}"`, 'PARAM_INVALID', { hint: 'give each model its own label' });
    seen.add(ref.label);
  }
  return labelled;
}

/** The model thresholds apply to: the one labelled fine-tuned, else the last. */
export function candidateModel<T extends ModelRef>(models: T[]): T {
  return models.find((m) => m.label === 'fine-tuned') ?? models[models.length - 1];
}

export function baseModel<T extends ModelRef>(models: T[]): T | undefined {
  return models.find((m) => m.label === 'base');
}
