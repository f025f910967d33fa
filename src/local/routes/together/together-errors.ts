/** Together's error bodies are OpenAI's shape (OpenAPI ErrorData: {error: {message, type, param, code}}). */
import { ApiError, invalidRequest, notFound } from '../../api-error.js';

export { invalidRequest, notFound };

export function unsupportedModel(model: string): ApiError {
  return invalidRequest(`The model ${model} is not supported for fine-tuning. See https://docs.together.ai/docs/fine-tuning-models for the models that are.`, 'model', 'model_not_supported');
}

export function nonServerlessModel(model: string): ApiError {
  return new ApiError(400, `Unable to access non-serverless model ${model}. Please visit https://api.together.ai/models/${model} to create and start a new dedicated endpoint for the model.`, {
    param: 'model',
    code: 'model_not_available',
  });
}

export function endpointNotRunning(name: string, state: string): ApiError {
  return new ApiError(400, `The dedicated endpoint ${name} is ${state}; start it (PATCH /endpoints/{id} with state STARTED) before sending requests.`, { param: 'model', code: 'endpoint_not_running' });
}
