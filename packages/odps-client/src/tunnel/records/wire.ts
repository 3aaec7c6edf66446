// Field numbers and wire types of the tunnel record ("protobuf") format (tunnel.md §3.1–§3.2).

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

export const END_RECORD = 33553408; // 2^25 - 1024
export const META_COUNT = 33554430; // 2^25 - 2
export const META_CHECKSUM = 33554431; // 2^25 - 1
export const END_METRICS = 33554176; // 2^25 - 256
export const SCHEMA_END = 33553920; // 2^25 - 512
/** Field number of the metrics JSON (download trailer) and the in-stream schema JSON (instance tunnel). */
export const METRICS_FIELD = 1;
