// The emulator's logger interface and its no-op / stderr implementations (messages never carry secrets).

export interface EmulatorLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: EmulatorLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** One JSON line per event on stderr (or `writeLine`); `debug` only when `verbose`. */
export function stderrLogger(verbose = false, writeLine: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): EmulatorLogger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    writeLine(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  };
  return { debug: verbose ? write('debug') : () => {}, info: write('info'), warn: write('warn'), error: write('error') };
}

/** Fill in the levels a caller's partial logger lacks. */
export function completeLogger(logger: Partial<EmulatorLogger> | undefined): EmulatorLogger {
  if (!logger) return silentLogger;
  return {
    debug: logger.debug?.bind(logger) ?? (() => {}),
    info: logger.info?.bind(logger) ?? (() => {}),
    warn: logger.warn?.bind(logger) ?? (() => {}),
    error: logger.error?.bind(logger) ?? (() => {}),
  };
}
