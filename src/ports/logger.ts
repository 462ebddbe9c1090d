import type { SdkError } from '../errors/sdk-error.js';

/** One log call: structured fields first, then the message (the shape pino, bunyan-style and most JSON loggers take). */
export type LogFn = (fields: Readonly<Record<string, unknown>>, message: string) => void;

/**
 * The logger port: pino-shaped, so a pino (or pino-compatible) logger is passed as it is. The SDK
 * logs only what an operator acts on (retries exhausted, infrastructure errors, projection and
 * relay failures), with ids, types and error codes: never a seed, code, answer or command field.
 */
export interface Logger {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
}

const ignore: LogFn = () => undefined;

/** The default: logs nothing. */
export const noopLogger: Logger = Object.freeze({ debug: ignore, info: ignore, warn: ignore, error: ignore });

/** What an error may tell a log: its tag and code, and for an infrastructure failure its message (which names the port, never a secret). */
export const loggedError = (error: SdkError): Readonly<Record<string, string>> =>
  error._tag === 'Infrastructure' ? { tag: error._tag, code: error.code, message: error.message } : { tag: error._tag, code: error.code };
