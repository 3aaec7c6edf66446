// Public surface of @odps-ts/odps-client.
export { parseType, formatType, OdpsTypeError, Timestamp, IntervalDayTime, IntervalYearMonth, coerceValue, ValueTypeError, parseEpochDay, formatEpochDay } from './types/index.js';
export { validateTimeZone, zoneOffsetMs, wallTimeToInstant, instantToWallTime } from './types/index.js';
export type { OdpsType, PrimitiveKind, Column } from './types/index.js';
// Tunnel record codec (pure, no HTTP).
export { RecordStreamDecoder, RecordStreamEncoder, encodeRecordStream, decodeRecordStream, decodeRecords, decodeRecordBatches, encodeRecords } from './tunnel/records/index.js';
export type { RecordColumn, RecordDecodeOptions, StreamDecodeOptions, StreamFooter, RecordEncodeOptions } from './tunnel/records/index.js';
export type { EncoderMark } from './tunnel/records/record-encoder.js';
// Tunnel Arrow format, compression and body codecs (pure, no HTTP).
export {
  ArrowFrameEncoder, ArrowFrameDecoder, frameArrowPayload, frameArrowBody, deframeArrowBody, arrowTypeFor, arrowSchemaFor,
  decodeArrowStream, decodeArrowPayload, encodeArrowBatches, arrowBatchToRows, schemaMessageBytes, recordBatchMessages,
} from './tunnel/arrow/index.js';
export type { ArrowSchemaOptions, ArrowReadOptions, ArrowRowsOptions } from './tunnel/arrow/index.js';
export { decompressBody, compressBody, encodingHeader, normalizeEncoding } from './tunnel/compression.js';
export type { TunnelCompression, CompressOption, CompressOptions, DecompressOptions, Decoded } from './tunnel/compression.js';
export { decodeRecordBody, decodeArrowBody, encodeRecordBody, encodeArrowBody } from './tunnel/codec.js';
// Client, resources, errors (REST/SQL core).
export { ODPS } from './odps.js';
export type { ExecuteSqlOptions } from './odps.js';
export { optionsFromEnv, defaultUserAgent, CLIENT_VERSION } from './config.js';
export type { OdpsOptions } from './config.js';
export {
  OdpsError, NoSuchObjectError, AuthError, ThrottledError, NetworkError, SqlError, TunnelError, ChecksumError,
  OdpsArgumentError, InvalidIdentifierError, InvalidPartitionSpecError, WaitTimeoutError,
} from './errors.js';
export type { OdpsErrorInit } from './errors.js';
export { Transport } from './http/transport.js';
export type { TransportOptions, TimeoutOptions } from './http/transport.js';
export type { RequestSpec, HttpResponse, HttpMethod } from './http/types.js';
export type { Account as SigningAccount } from './http/account.js';
export type { RetryOptions } from './http/retry.js';
export { CHANNEL_START, CHANNEL_END, CHANNEL_RETRY, redactHeaders } from './http/observe.js';
export type { Logger, RequestStartEvent, RequestEndEvent, RequestRetryEvent } from './http/observe.js';
export { encodeRfc3986 } from './http/encode.js';
export { PartitionSpec } from './core/partition-spec.js';
export type { PartitionSpecInput } from './core/partition-spec.js';
export { partitionKeyProblem, partitionValueProblem, MAX_PARTITION_VALUE_BYTES } from './core/partition-rules.js';
export { Table } from './resources/table.js';
export type { HeadOptions, TableHead } from './resources/table-head.js';
export type { TableMeta, TableColumn, TableSchema, TableType, ClusterInfo } from './resources/table-meta.js';
export { Tables } from './resources/tables.js';
export type { ListTablesOptions, TableSummary, CreateTableOptions } from './resources/tables.js';
export { Partitions } from './resources/partitions.js';
export type { Partition, ListPartitionsOptions, MaxPartitionOptions, PartitionOwner } from './resources/partitions.js';
export type { MaintenanceOptions, TruncateOptions, TouchOptions } from './resources/table-maintenance.js';
export type { ColumnChange } from './sql/alter-table.js';
export { Projects } from './resources/projects.js';
export type { Project, GetProjectOptions, ListProjectsOptions } from './resources/projects.js';
export { Schemas } from './resources/schemas.js';
export { Quotas } from './resources/quotas.js';
export type { Quota, QuotaScope, ListQuotasOptions } from './resources/quotas.js';
export type { InstanceSource, SourceTask, TaskCost } from './resources/instance-info.js';
export type { Schema, ListSchemasOptions, CreateSchemaOptions } from './resources/schemas.js';
export { Instance } from './resources/instance.js';
export type { ResultOptions, InstanceInit } from './resources/instance.js';
export { Instances } from './resources/instances.js';
export type { ListInstancesOptions, ListQueueingOptions } from './resources/instances.js';
export type { InstanceQueueingInfo } from './resources/queueing-info.js';
export type { RunSqlOptions } from './resources/instance-create.js';
export type { WaitOptions, InstanceProgress } from './resources/instance-wait.js';
export type { InstanceStatus, TaskStatus, TaskStatusValue, TaskResult, ResultDescriptor, Stage } from './resources/instance-xml.js';
export type { LogviewOptions } from './resources/logview.js';
export { Resources } from './resources/resources.js';
export type { ListResourcesOptions, CreateResourceOptions, CreateFileResourceOptions, CreateTableResourceOptions, UpdateResourceOptions } from './resources/resources.js';
export { Resource, DEFAULT_RESOURCE_WINDOW } from './resources/resource.js';
export type { ResourceMeta, ResourceType, ResourceReadOptions } from './resources/resource.js';
export type { ResourceSource } from './resources/resource-upload.js';
export { Functions } from './resources/functions.js';
export type { ListFunctionsOptions, FunctionDefinition } from './resources/functions.js';
export type { FunctionInfo } from './resources/function.js';
export { parseSqlCost } from './resources/sql-cost.js';
export type { SqlCost, EstimateSqlCostOptions } from './resources/sql-cost.js';
export type { TunnelEndpointOptions } from './core/tunnel-endpoint.js';
export type { OdpsContext, CallOptions, ProjectScoped, SchemaScoped } from './resources/context.js';
export type { SqlResult, Row } from './sql/result.js';
export type { ColumnDefinition, TableDefinition } from './sql/ddl.js';
export { quoteIdent, quoteString } from './sql/quote.js';
export { sql, SqlFragment, SqlText, bindSqlParams, renderSqlValue } from './sql/params.js';
export type { SqlRenderOptions } from './sql/params.js';
// Tunnel sessions: table download/upload, instance download, readers and block writers.
export {
  TableDownloadSession, DownloadSession, InstanceDownloadSession, TableUploadSession, RecordBlockWriter, ArrowBlockWriter,
  MAX_BLOCK_ID, DEFAULT_BLOCK_SIZE, TUNNEL_VERSION, splitRange,
} from './tunnel/index.js';
export { TableStreamSession, StreamRecordWriter, StreamFlushUncertainError, DEFAULT_FLUSH_BYTES } from './tunnel/index.js';
export { TableUpsertSession, UpsertWriter, UPSERT_EXTRA_COLUMNS, bucketOf, combineHashes, hashKeyValue, isHashableKeyType } from './tunnel/index.js';
export type { UpsertSessionOptions, UpsertWriterOptions, UpsertSlot, HasherKind } from './tunnel/index.js';
export type { StreamSessionOptions, StreamFlushOptions, StreamSlot, StreamWriterOptions } from './tunnel/index.js';
export type {
  DownloadSessionOptions, TableRef, DownloadStatus, ReadOptions, RecordReadOptions, RecordReader, ArrowReader, RowRange,
  InstanceDownloadOptions, InstanceRef, UploadSessionOptions, UploadStatus, UploadedBlock, BlockUploadOptions,
  RecordWriterOptions, ArrowWriterOptions, BlockWriterOptions, TunnelCommonOptions, TunnelContext, SessionSchema,
} from './tunnel/index.js';
export type { RowInput } from './tunnel/upload/record-writer.js';
export type { TunnelTarget } from './tunnel/session/request.js';
export type {
  TableReaderOptions, TableArrowReaderOptions, TableWriterOptions, TableArrowWriterOptions, TableRecordReader, TableArrowReader,
  TableDownloadOptions, TableUploadOptions, TableStreamWriterOptions, TableUpsertWriterOptions,
} from './tunnel/table-tunnel.js';
export type { InstanceReaderOptions, InstanceArrowReaderOptions, InstanceRowReader } from './tunnel/instance/instance-reader.js';
export {
  Storage, ReadSession, scanRequestJson, readSplit, parseSplitDescriptor, serializeSplitDescriptor, InvalidSplitDescriptorError,
  SPLIT_DESCRIPTOR_VERSION, P, col, parsePredicate, renderPredicate,
} from './storage/index.js';
export type {
  StorageTableRef, ReadSessionOptions, ReadSessionStatus, SplitMode, SplitOptions, ReadSplitOptions, SplitDescriptor,
  Predicate, PredicateOperand, PredicateConstant, ComparisonOperator, OperandInput,
} from './storage/index.js';
