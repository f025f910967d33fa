/**
 * Fireworks' REST API over fetch (there is no official TypeScript SDK): JSON in and out, the key as a
 * Bearer token, paths under /v1/accounts/<account>. Failures become the openai SDK's error classes
 * (vendor-http-error.ts), so the shared retry rules and error messages apply; a 404 can be asked for
 * as null.
 */
import { APIConnectionError, APIUserAbortError } from 'openai';
import { errorFromResponse } from '../vendor-http-error.js';

export interface FireworksRestOptions {
  apiKey: string;
  /** https://api.fireworks.ai (no /v1). */
  baseUrl: string;
  account: string;
  timeoutMs?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  body?: BodyInit;
  signal?: AbortSignal;
  /** Answer null instead of throwing on 404. */
  nullOn404?: boolean;
}

export class FireworksRest {
  readonly account: string;
  readonly baseUrl: string;
  readonly apiKey: string;

  constructor(private readonly options: FireworksRestOptions) {
    this.account = options.account;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
  }

  /** "accounts/<account>/<kind>/<id>" */
  resource(kind: string, id: string): string {
    return `accounts/${this.account}/${kind}/${id}`;
  }

  request<T>(method: string, path: string, options: RequestOptions & { nullOn404: true }): Promise<T | null>;
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T | null> {
    const url = new URL(`${this.baseUrl}/${path.replace(/^\/+/, '')}`);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const signal = AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs ?? 120_000), ...(options.signal ? [options.signal] : [])]);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        signal,
        headers: { authorization: `Bearer ${this.apiKey}`, ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
      });
    } catch (error) {
      if (options.signal?.aborted) throw new APIUserAbortError();
      throw new APIConnectionError({ message: `${method} ${url.pathname}: ${error instanceof Error ? error.message : error}`, cause: error instanceof Error ? error : undefined });
    }
    const text = await response.text();
    if (response.status === 404 && options.nullOn404) return null;
    if (!response.ok) throw errorFromResponse(response.status, parse(text), response.headers);
    return (text ? JSON.parse(text) : {}) as T;
  }
}

/**
 * Fetch a signed URL Fireworks handed out (dataset uploads, metrics files). Signed URLs carry their own
 * authorisation; only a URL on the API's own origin (an emulator's) is sent the key as well.
 */
export function fetchSigned(rest: FireworksRest, url: string, init: RequestInit = {}): Promise<Response> {
  const sameOrigin = new URL(url).origin === new URL(rest.baseUrl).origin;
  return fetch(url, sameOrigin ? { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${rest.apiKey}` } } : init);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
