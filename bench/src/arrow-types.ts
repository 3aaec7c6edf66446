// apache-arrow types as the client's API exposes them (bench/ does not depend on apache-arrow itself).
import type { decodeArrowStream } from '@odps-ts/odps-client';

export type RecordBatch = ReturnType<typeof decodeArrowStream> extends AsyncGenerator<infer B, void, undefined> ? B : never;
