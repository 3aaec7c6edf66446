// The functions a query may call: MaxCompute built-ins the emulator translates or DuckDB runs under the same name.

/**
 * Only these reach DuckDB, so no query can call a DuckDB function MaxCompute lacks (read_text, glob,
 * query_table, current_setting, duckdb_settings...). Names are lower case; renamed and rewritten ones
 * (functions.ts) are listed under their MaxCompute name.
 */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // aggregates
  'count', 'sum', 'avg', 'min', 'max', 'stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop',
  'median', 'covar_pop', 'covar_samp', 'corr', 'count_if', 'any_value', 'max_by', 'min_by', 'collect_list',
  'collect_set', 'wm_concat', 'grouping', 'grouping_id',
  // window
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value',
  'last_value', 'nth_value',
  // math
  'abs', 'ceil', 'ceiling', 'floor', 'round', 'trunc', 'sqrt', 'cbrt', 'exp', 'ln', 'log', 'log2', 'log10', 'pow',
  'power', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'cot', 'sign', 'pi',
  'rand', 'degrees', 'radians', 'greatest', 'least', 'factorial', 'hex', 'unhex', 'mod',
  // strings
  'concat', 'concat_ws', 'length', 'lengthb', 'lower', 'upper', 'tolower', 'toupper', 'trim', 'ltrim', 'rtrim',
  'substr', 'substring', 'instr', 'replace', 'regexp_replace', 'regexp_extract', 'lpad', 'rpad', 'reverse',
  'repeat', 'split', 'split_part', 'ascii', 'chr', 'md5', 'sha1', 'translate', 'get_json_object', 'uuid',
  // dates
  'getdate', 'now', 'current_timestamp', 'dateadd', 'datediff', 'datetrunc', 'date_trunc', 'to_char', 'to_date',
  'from_unixtime', 'unix_timestamp', 'year', 'month', 'day', 'hour', 'minute', 'second', 'quarter', 'weekofyear',
  'dayofweek', 'dayofmonth', 'dayofyear', 'last_day', 'extract',
  // conditionals
  'coalesce', 'nvl', 'if', 'decode', 'isnull', 'isnotnull', 'nullif',
  // complex types
  'array', 'map', 'named_struct', 'size', 'array_contains', 'sort_array', 'explode', 'map_keys', 'map_values',
  'sequence',
  // handled by the translator itself
  'cast', 'max_pt',
]);

/**
 * SQL words that may stand before '(' without being a call (`x IN (...)`, `OVER (...)`, `AS (...)`):
 * their parenthesis is an expression, subquery or list, translated like any other.
 */
export const PAREN_KEYWORDS: ReadonlySet<string> = new Set([
  'in', 'exists', 'over', 'as', 'values', 'and', 'or', 'not', 'on', 'using', 'select', 'where', 'by', 'then', 'else',
  'when', 'case', 'limit', 'union', 'all', 'distinct', 'between', 'like', 'is', 'any', 'some', 'filter', 'within',
  'having', 'lateral', 'offset', 'intersect', 'except', 'minus', 'asc', 'desc', 'with', 'window', 'qualify', 'cube',
  'rollup', 'sets', 'materialized', 'recursive', 'from', 'join', 'partition', 'interval',
]);
