/**
 * Fireworks' control plane is a gRPC gateway: errors come as {code: <gRPC code>, message, details}
 * with the matching HTTP status. (Its /inference API answers in OpenAI's shape, like the core.)
 */
import { ApiError } from '../../api-error.js';

const grpc = { INVALID_ARGUMENT: [3, 400], NOT_FOUND: [5, 404], ALREADY_EXISTS: [6, 409], PERMISSION_DENIED: [7, 403], FAILED_PRECONDITION: [9, 400] } as const;
export type GrpcStatus = keyof typeof grpc;

export class FireworksError extends ApiError {
  constructor(
    readonly grpcStatus: GrpcStatus,
    message: string,
  ) {
    super(grpc[grpcStatus][1], message, { code: grpcStatus });
  }

  override toBody(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    // The gateway's own shape; the cast keeps the core's sendApiError signature.
    return { code: grpc[this.grpcStatus][0], message: this.message, details: [] } as unknown as ReturnType<ApiError['toBody']>;
  }
}

export const invalidArgument = (message: string) => new FireworksError('INVALID_ARGUMENT', message);
export const notFound = (message: string) => new FireworksError('NOT_FOUND', message);
export const alreadyExists = (message: string) => new FireworksError('ALREADY_EXISTS', message);
export const failedPrecondition = (message: string) => new FireworksError('FAILED_PRECONDITION', message);
export const permissionDenied = (message: string) => new FireworksError('PERMISSION_DENIED', message);
