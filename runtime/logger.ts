/** Where the runtime reports what it does. Inject one; the default says nothing. */
export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export const SILENT_LOGGER: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
};

/** A logger whose messages start with `[scope] `, such as `[task 12]` or `[cron hourly]`. */
export function scopedLogger(logger: Logger, scope: string): Logger {
  const prefix = `[${scope}] `;
  return {
    error: (message) => logger.error(prefix + message),
    warn: (message) => logger.warn(prefix + message),
    info: (message) => logger.info(prefix + message),
    debug: (message) => logger.debug(prefix + message),
  };
}
