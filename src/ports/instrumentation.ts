import type { Either } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import type { OtpRejection } from '../otp/rejection.js';
import type { Logger } from './logger.js';
import { noopLogger } from './logger.js';

/** How far a reader of the global order is behind the store, as {@link Instrumentation.lag} gets it. */
export type LagReport =
  | {
      readonly kind: 'projection';
      /** The projection's name. */
      readonly name: string;
      /** Committed events it has not folded yet. */
      readonly eventsBehind: number;
    }
  | {
      readonly kind: 'relay';
      /** The relay's name (its checkpoint key). */
      readonly name: string;
      /** Committed events it has not published yet. */
      readonly eventsBehind: number;
      /** `occurredAt` of the last event it published, if it published any in this process. */
      readonly lastPublishedAt?: string;
    };

/**
 * The tracing and metrics port. The SDK calls it at a few points: around each dispatch, around the
 * store append and the OTP engine's verification inside it, on each retry, with each commit's events
 * and with lag reports. `softtoken-sdk/otel` builds one over OpenTelemetry; a host may write its own
 * for another backend. Every method must return what `run` returns, unchanged, and must not throw.
 *
 * Nothing it is handed holds a secret: command types, error tags and codes, counts, stored events
 * (which hold none), rejection tags.
 */
export interface Instrumentation {
  /**
   * Runs one dispatch. `commandType` is a registered command type, or `unknown` for input that
   * names none. The calls below made while `run` is pending belong to this dispatch (an
   * implementation finds it through the async context, as `AsyncLocalStorage` does).
   */
  readonly dispatch: <A>(commandType: string, run: () => Promise<Either<SdkError, A>>) => Promise<Either<SdkError, A>>;
  /** The current dispatch starts another attempt after a version conflict. */
  readonly retried: () => void;
  /** One atomic append of `events` events to the store. */
  readonly append: <A>(events: number, run: () => Promise<Either<SdkError, A>>) => Promise<Either<SdkError, A>>;
  /** One verification by the OTP engine. */
  readonly verifyOtp: <A>(run: () => Promise<Either<OtpRejection, A>>) => Promise<Either<OtpRejection, A>>;
  /** The events of one commit (OTP verdicts and locks are counted from them). */
  readonly committed: (events: readonly StoredEvent[]) => void;
  /** How far a projection or a relay is behind. */
  readonly lag: (report: LagReport) => void;
}

const noopInstrumentationValue: Instrumentation = {
  dispatch: (_commandType, run) => run(),
  retried: () => undefined,
  append: (_events, run) => run(),
  verifyOtp: (run) => run(),
  committed: () => undefined,
  lag: () => undefined,
};
/** Records nothing: what the wiring uses when only a logger is configured. */
export const noopInstrumentation: Instrumentation = Object.freeze(noopInstrumentationValue);

/** What the relay and projection runners report to; each defaults to recording nothing. */
export interface Observability {
  readonly instrumentation?: Instrumentation;
  readonly logger?: Logger;
}

const hasMethods = (value: unknown, names: readonly string[]): boolean =>
  typeof value === 'object' && value !== null && names.every((name) => typeof (value as Readonly<Record<string, unknown>>)[name] === 'function');

/** Whether a value from a JavaScript caller is an {@link Instrumentation} (its six methods are functions). */
export const isInstrumentation = (value: unknown): value is Instrumentation => hasMethods(value, ['dispatch', 'retried', 'append', 'verifyOtp', 'committed', 'lag']);

/** Whether a value from a JavaScript caller is a {@link Logger} (its four methods are functions). */
export const isLogger = (value: unknown): value is Logger => hasMethods(value, ['debug', 'info', 'warn', 'error']);

/** What a runner reports to, from whatever a caller passed: a part that is not what it should be records nothing. */
export const observabilityOf = (value: unknown): { readonly instrumentation: Instrumentation; readonly logger: Logger } => {
  const given = typeof value === 'object' && value !== null ? (value as Observability) : {};
  return {
    instrumentation: isInstrumentation(given.instrumentation) ? given.instrumentation : noopInstrumentation,
    logger: isLogger(given.logger) ? given.logger : noopLogger,
  };
};
