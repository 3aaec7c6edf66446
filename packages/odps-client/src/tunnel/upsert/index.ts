// Upsert sessions (transactional primary-key tables): session, writer and the bucketing hasher.
export { TableUpsertSession, UPSERT_EXTRA_COLUMNS, type UpsertSessionOptions, type UpsertSlot } from './upsert-session.js';
export { UpsertWriter, type UpsertWriterOptions } from './upsert-writer.js';
export { bucketOf, combineHashes, hashKeyValue, isHashableKeyType, type HasherKind } from './upsert-hasher.js';
