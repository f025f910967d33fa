/** The Fireworks AI flavour's route table: Fireworks' REST and inference shapes over the shared core. */
import type { Route } from '../route-table.js';
import type { FlavourOptions } from '../flavours.js';
import { FireworksState } from './fireworks-state.js';
import { datasetRoutes } from './datasets.js';
import { fineTuningJobRoutes } from './fine-tuning-jobs.js';
import { deploymentRoutes } from './deployments.js';
import { modelAndChatRoutes } from './models-and-chat.js';

export function fireworksRoutes(context: { dataDir: string; options: FlavourOptions }): Route[] {
  const fw = new FireworksState(context.dataDir, context.options);
  return [...datasetRoutes(fw), ...fineTuningJobRoutes(fw), ...deploymentRoutes(fw), ...modelAndChatRoutes(fw)];
}
