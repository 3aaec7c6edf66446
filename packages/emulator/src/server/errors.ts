// The error type every emulator handler throws, rendered as the real service's XML Error body.

/** An error answered to the client with the given HTTP status, service `Code` and message. */
export class EmulatorHttpError extends Error {
  override readonly name = 'EmulatorHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Shorthands for the errors the routes answer most often (codes from rest.md §4.10). */
export const httpErrors = {
  notFound(code: string, message: string): EmulatorHttpError {
    return new EmulatorHttpError(404, code, message);
  },
  noSuchProject(project: string): EmulatorHttpError {
    return new EmulatorHttpError(404, 'NoSuchProject', `ODPS-0420111:Project not found - '${project}'.`);
  },
  noSuchTable(project: string, schema: string, table: string): EmulatorHttpError {
    return new EmulatorHttpError(404, 'NoSuchObject', `ODPS-0130131:Table not found - '${project}.${schema}.${table}'.`);
  },
  noSuchInstance(id: string): EmulatorHttpError {
    return new EmulatorHttpError(404, 'NoSuchObject', `ODPS-0420111:Instance not found - '${id}'.`);
  },
  invalidArgument(message: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0420411:Invalid argument - ${message}`);
  },
  methodNotAllowed(method: string, path: string): EmulatorHttpError {
    return new EmulatorHttpError(405, 'MethodNotAllowed', `The method ${method} is not allowed for ${path}.`);
  },
  noSuchRoute(path: string): EmulatorHttpError {
    return new EmulatorHttpError(404, 'NoSuchObject', `No such resource in the emulator: ${path}`);
  },
  internal(message: string): EmulatorHttpError {
    return new EmulatorHttpError(500, 'InternalServerError', `ODPS-0010000:System internal error - ${message}`);
  },
};
