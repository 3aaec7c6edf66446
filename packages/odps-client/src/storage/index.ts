// Public surface of the Storage API: read sessions, split descriptors, split reads and filter predicates.
export { Storage } from './storage.js';
export type { StorageTableRef } from './storage.js';
export { ReadSession, scanRequestJson } from './session.js';
export type { ReadSessionOptions, ReadSessionStatus, SplitMode, SplitOptions } from './session.js';
export { readSplit } from './read-split.js';
export type { ReadSplitOptions } from './read-split.js';
export { parseSplitDescriptor, serializeSplitDescriptor, InvalidSplitDescriptorError, SPLIT_DESCRIPTOR_VERSION } from './split.js';
export type { SplitDescriptor } from './split.js';
export { P, col, parsePredicate, renderPredicate } from './predicate.js';
export type { Predicate, PredicateOperand, PredicateConstant, ComparisonOperator, OperandInput } from './predicate.js';
