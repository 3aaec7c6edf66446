// Tunnel error answers (tunnel.md §1.4): JSON {Code, Message, RequestId}; codes as the tunnel service names them.
import { EmulatorHttpError } from '../errors.js';

// The request handler renders EmulatorHttpError as tunnel JSON for tunnel routes, so these only pick
// status, code and message. Codes follow the names the SDKs and issues show (MalformedDataStream,
// InstanceNotTerminate, NoSuchSchema ...); the rest follow the same CamelCase family.
export const tunnelErrors = {
  noSuchDownload(id: string): EmulatorHttpError {
    return new EmulatorHttpError(404, 'NoSuchDownload', `The download session ${id} does not exist or has expired.`);
  },
  noSuchUpload(id: string): EmulatorHttpError {
    return new EmulatorHttpError(404, 'NoSuchUpload', `The upload session ${id} does not exist or has expired.`);
  },
  sessionMismatch(kind: 'download' | 'upload', id: string, what: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'InvalidArgument', `The ${kind} session ${id} belongs to another ${what}.`);
  },
  invalidRowRange(text: string, why: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'InvalidRowRange', `Invalid row range '${text}': ${why}.`);
  },
  invalidColumn(name: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'InvalidColumnSpec', `Column '${name}' is not a data column of the session schema.`);
  },
  missingPartition(table: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'MissingPartitionSpec', `Table ${table} is partitioned: a full partition spec is required.`);
  },
  invalidPartition(text: string, why: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'InvalidPartitionSpec', `Invalid partition spec '${text}': ${why}.`);
  },
  noSuchPartition(table: string, spec: string): EmulatorHttpError {
    return new EmulatorHttpError(404, 'NoSuchPartition', `Partition ${spec} of table ${table} does not exist.`);
  },
  notPartitioned(table: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'InvalidPartitionSpec', `Table ${table} is not partitioned.`);
  },
  viewNotSupported(table: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'InvalidArgument', `${table} is a view; the tunnel reads and writes tables only.`);
  },
  invalidBlockId(text: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'InvalidBlockID', `Invalid block id '${text}': it must be an integer in [0, 20000).`);
  },
  malformed(message: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'MalformedDataStream', `Malformed data stream: ${message}`);
  },
  unsupportedEncoding(encoding: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'UnsupportedCompression', `Content-Encoding '${encoding}' is not supported by the emulator (use deflate, x-lz4-frame, x-odps-lz4-frame or zstd).`);
  },
  statusConflict(id: string, status: string): EmulatorHttpError {
    return new EmulatorHttpError(409, 'StatusConflict', `The upload session ${id} is ${status}; it cannot be changed or committed again.`);
  },
  blocksNotMatch(id: string, missing: number[]): EmulatorHttpError {
    return new EmulatorHttpError(400, 'BlockNotFound', `The upload session ${id} has no block(s) ${missing.join(',')}; blocks not match.`);
  },
  commitFailed(message: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'DataWriteFailed', `Commit failed: ${message}`);
  },
  instanceNotTerminated(id: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'InstanceNotTerminate', `The instance ${id} is not terminated yet.`);
  },
  /**
   * A DDL/`desc`/`show` instance has no result set. The service names it InstanceTypeNotSupported
   * with "Non select query not supported" (Java SQLExecutorConstants; PyODPS falls back to `?result`).
   */
  instanceNotSelect(id: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'InstanceTypeNotSupported', `Non select query not supported: instance ${id} did not run a SELECT statement.`);
  },
  /** Java's SQL executor waits for the task error on `TaskFailed` (SQLExecutorImpl v2). */
  taskFailed(id: string, why: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'TaskFailed', `The instance ${id} has no result to download: ${why}.`);
  },
  noSuchTask(id: string, name: string): EmulatorHttpError {
    return new EmulatorHttpError(404, 'NoSuchObject', `Task '${name}' not found in instance ${id}.`);
  },
  unsupportedArrowType(column: string, type: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'InvalidArgument', `Column ${column} of type ${type} cannot be transferred in the Arrow format by the emulator.`);
  },
};
