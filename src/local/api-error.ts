/**
 * Errors in OpenAI's shape: `{ error: { message, type, param, code } }` with the HTTP status OpenAI uses,
 * so the official SDK raises its own typed errors (BadRequestError, NotFoundError, RateLimitError …).
 */
export interface ApiErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, options: { type?: string; param?: string | null; code?: string | null; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = options.type ?? typeForStatus(status);
    this.param = options.param ?? null;
    this.code = options.code ?? null;
    this.headers = options.headers ?? {};
  }

  toBody(): { error: ApiErrorBody } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null): ApiError {
  return new ApiError(400, message, { param, code });
}

export function notFound(message: string, param: string | null = null, code: string | null = null): ApiError {
  return new ApiError(404, message, { param, code });
}

/** A disk error while storing what a client sent (507: the request was fine, the server could not keep it). */
export function storageError(error: NodeJS.ErrnoException, what: string): ApiError {
  const reason = error.code === 'ENOSPC' ? 'the disk is full' : error.code === 'EROFS' ? 'its data folder is read-only' : (error.code ?? 'a write error');
  return new ApiError(507, `The local provider could not store ${what}: ${reason}. Free some space (or fix its data folder) and try again.`, { code: 'insufficient_storage' });
}

export function isStorageError(error: unknown): error is NodeJS.ErrnoException {
  return ['ENOSPC', 'EROFS', 'EDQUOT', 'EIO', 'EACCES', 'EPERM'].includes((error as NodeJS.ErrnoException)?.code ?? '');
}

function typeForStatus(status: number): string {
  if (status === 401) return 'invalid_request_error';
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}
