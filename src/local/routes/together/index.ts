/** The Together AI flavour's route table: Together's API shapes over the shared core. */
import type { Route } from '../route-table.js';
import type { FlavourOptions } from '../flavours.js';
import { TogetherState } from './together-state.js';
import { togetherFileRoutes } from './together-files.js';
import { fineTuneRoutes } from './fine-tunes.js';
import { endpointRoutes } from './endpoints.js';
import { chatAndModelRoutes } from './chat-and-models.js';

export function togetherRoutes(context: { dataDir: string; options: FlavourOptions }): Route[] {
  const together = new TogetherState(context.dataDir, context.options);
  return [...togetherFileRoutes(together), ...fineTuneRoutes(together), ...endpointRoutes(together), ...chatAndModelRoutes(together)];
}
