// A table/result column as the service describes it (type is the ODPS type string).

export interface Column {
  name: string;
  /** ODPS type string, lower case, e.g. 'array<bigint>' (parse with parseType). */
  type: string;
  comment?: string;
  nullable?: boolean;
}
