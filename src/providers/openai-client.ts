/** One place that builds SDK clients, so every adapter gets the same retry and timeout settings. */
import OpenAI, { AzureOpenAI } from 'openai';

export interface ClientSettings {
  apiKey: string;
  baseURL?: string;
  organization?: string;
  project?: string;
  defaultHeaders?: Record<string, string>;
  timeoutMs?: number;
}

// Our retry loop (src/remote/retry.ts) owns retries; the SDK's would re-send creating calls.
const sdkRetries = 0;
const defaultTimeoutMs = 120_000;

export function openaiClient(settings: ClientSettings): OpenAI {
  return new OpenAI({
    apiKey: settings.apiKey,
    baseURL: settings.baseURL,
    organization: settings.organization ?? null,
    project: settings.project ?? null,
    defaultHeaders: settings.defaultHeaders,
    maxRetries: sdkRetries,
    timeout: settings.timeoutMs ?? defaultTimeoutMs,
  });
}

export function azureClient(settings: { apiKey: string; endpoint: string; apiVersion: string; timeoutMs?: number }): OpenAI {
  return new AzureOpenAI({
    apiKey: settings.apiKey,
    endpoint: settings.endpoint,
    apiVersion: settings.apiVersion,
    maxRetries: sdkRetries,
    timeout: settings.timeoutMs ?? defaultTimeoutMs,
  });
}
