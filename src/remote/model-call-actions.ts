/**
 * The models a stage calls, as paid actions (StageDefinition.paidActions): `models` (ids or {id, label}),
 * `model`, and a grader's model. On providers that serve fine-tuned models only through a deployment,
 * each fine-tuned one costs hosting: the spend guard and `plan` count it.
 */
import type { PaidAction } from '../stage/types.js';

export function modelCallActions(params: Record<string, unknown>): PaidAction[] {
  const listed = Array.isArray(params.models) ? params.models : params.model !== undefined ? [params.model] : [];
  const ids = listed.map((m) => (typeof m === 'object' && m !== null ? (m as { id?: unknown }).id : m));
  const grader = typeof params.grader === 'object' && params.grader !== null ? (params.grader as { model?: unknown }).model : undefined;
  return [...ids, ...(grader === undefined ? [] : [grader])].map((model) => ({ kind: 'model-calls', model }));
}
