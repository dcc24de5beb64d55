import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The engine logs through this narrow interface so that the Lambda uses
 * Powertools' structured logger and the CLI can keep stdout for its report.
 * Callers pass only ids, ARNs, rule ids, statuses and API names: never
 * payloads, tag values, object keys or policy documents.
 */
export interface EngineLogger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export function createLambdaLogger(): Logger {
  return new Logger({ serviceName: 'phiguard' });
}

/** Adapts Powertools' variadic signature to {@link EngineLogger}. */
export function asEngineLogger(logger: Logger): EngineLogger {
  return {
    debug: (message, extra) => logger.debug(message, extra ?? {}),
    info: (message, extra) => logger.info(message, extra ?? {}),
    warn: (message, extra) => logger.warn(message, extra ?? {}),
    error: (message, extra) => logger.error(message, extra ?? {}),
  };
}

export const silentLogger: EngineLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** JSON lines on stderr, for `phiguard --verbose`. */
export function createStderrLogger(): EngineLogger {
  const write = (level: string) => (message: string, extra?: Record<string, unknown>) => {
    process.stderr.write(
      `${JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...extra })}\n`,
    );
  };
  return { debug: write('DEBUG'), info: write('INFO'), warn: write('WARN'), error: write('ERROR') };
}
