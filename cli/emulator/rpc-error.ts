import { status } from "@grpc/grpc-js";

/** A refused call, answered with the gRPC status code Cloud Tasks uses for the same mistake. */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

export const invalidArgument = (message: string) => new RpcError(status.INVALID_ARGUMENT, message);

export const notFound = (message: string) => new RpcError(status.NOT_FOUND, message);

export const alreadyExists = (message: string) => new RpcError(status.ALREADY_EXISTS, message);

export const unimplemented = (message: string) => new RpcError(status.UNIMPLEMENTED, message);
