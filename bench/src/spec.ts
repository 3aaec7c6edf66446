// What the orchestrator hands a measurement child, and what the child reports back.
import type { TunnelCompression } from '@odps-ts/odps-client';

export interface Target {
  /** REST endpoint (emulator `/api`, or the blob server's URL + `/api`, unused there). */
  endpoint: string;
  tunnelEndpoint: string;
  project: string;
  accessKeyId: string;
  accessKeySecret: string;
}

export type Format = 'record' | 'arrow';

export type CaseSpec =
  | {
    kind: 'download'; target: Target; table: string; sessionId: string; format: Format; mode: 'client' | 'raw'; rows: number; parallel: number;
    /** Ask for this body codec (Accept-Encoding); raw mode then counts the compressed bytes on the wire. */
    compress?: TunnelCompression;
  }
  | {
    kind: 'upload'; target: Target; table: string; format: Format; mode: 'client' | 'raw'; rows: number; unique: number; commit: boolean;
    /** Arrow input batches are read (before timing) from this download session of `sourceTable`. */
    sourceTable: string; sourceSessionId: string;
    /** Compress each block with this codec (client mode). */
    compress?: TunnelCompression;
  }
  | { kind: 'compress'; target: Target; table: string; sessionId: string; format: Format; codec: TunnelCompression; op: 'encode' | 'decode'; rows: number; unique: number }
  | { kind: 'codec'; target: Target; table: string; sessionId: string; op: 'record-encode' | 'record-decode' | 'arrow-encode' | 'arrow-decode'; rows: number; unique: number }
  | { kind: 'memory'; target: Target; table: string; format: Format; rows: number }
  | { kind: 'sql'; target: Target; table: string; iterations: number }
  | { kind: 'list'; target: Target; expected: number; pageSize?: number }
  /** Spawn `node <bin> ...args` `runs` times (CLI start-up time); no server involved. */
  | { kind: 'cli'; bin: string; args: string[]; runs: number };

export interface CaseResult {
  /** Wall time of the measured section. */
  wallMs: number;
  /** CPU (user + system) of the child during the measured section. */
  cpuMs: number;
  rows: number;
  /** Bytes on the wire (raw modes and codecs; client modes take the raw figure). */
  bytes?: number;
  /** Peak RSS (VmHWM) of the child, in MiB, over its whole life (see measure.ts). */
  peakRssMiB: number;
  /** Extra figures of a case (latency percentiles, pages, commit time...). */
  extra?: Record<string, number>;
}

export const RESULT_PREFIX = 'BENCH_RESULT ';
