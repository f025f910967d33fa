/**
 * Values the Playground takes from the recipe: its system prompt and its own models (the base model its
 * train stages fine-tune, the model its wait stages produced). Only `${{ vars.x }}` is resolved here
 * (never env, which may hold secrets); a value that still needs the run is left out.
 */
import { substitute } from '../recipe/expressions.js';
import type { RecipeView, StageView } from './recipe-view.js';
import type { LockStage } from './workspace-files.js';
import { fineTunedModel } from './run-view.js';

export interface RecipeModel {
  id: string;
  /** e.g. "fine-tuned (stage wait)", "base (stage train)". */
  label: string;
}

/** A stage param with the recipe's defaults applied and vars substituted; undefined when it is not a plain string yet. */
export function stageParam(recipe: RecipeView, stage: StageView, name: string): string | undefined {
  const raw = name in stage.with ? stage.with[name] : recipe.defaults[name];
  if (typeof raw !== 'string') return undefined;
  const value = substitute(raw, (e) => (e.kind === 'var' ? recipe.vars[e.name] : undefined));
  return typeof value === 'string' && !value.includes('${{') ? value : undefined;
}

/** The prompt the recipe's model is called with (infer), else the one its data is made with (ingest stages). */
export function recipeSystemPrompt(recipe: RecipeView | null): string | null {
  if (!recipe) return null;
  const order = ['infer', 'ingest-csv', 'conversations', 'prompt-completion'];
  const stages = [...recipe.stages].sort((a, b) => rank(order, a.uses) - rank(order, b.uses));
  for (const stage of stages) {
    const prompt = stageParam(recipe, stage, 'sys_prompt');
    if (prompt) return prompt;
  }
  return null;
}

export function recipeModels(recipe: RecipeView | null, lock: Record<string, LockStage>): RecipeModel[] {
  if (!recipe) return [];
  const models: RecipeModel[] = [];
  const add = (id: string | null | undefined, label: string) => {
    if (id && !models.some((m) => m.id === id)) models.push({ id, label });
  };
  for (const stage of recipe.stages.filter((s) => s.uses === 'wait')) add(fineTunedModel(lock[stage.id]?.outputs), `fine-tuned (stage ${stage.id})`);
  for (const stage of recipe.stages.filter((s) => s.uses === 'train')) add(stageParam(recipe, stage, 'model'), `base (stage ${stage.id})`);
  return models;
}

function rank(order: string[], uses: string): number {
  const i = order.indexOf(uses);
  return i === -1 ? order.length : i;
}
