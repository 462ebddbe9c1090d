import type { Either } from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { CommitListener } from '../commands/command-runtime.js';
import type { RetryPolicy } from '../commands/retry.js';
import { resolveRetryPolicy } from '../commands/retry.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { OtpEngine } from '../otp/engine.js';
import type { Instrumentation } from '../ports/instrumentation.js';
import { noopInstrumentation } from '../ports/instrumentation.js';
import type { Logger } from '../ports/logger.js';
import { loggedError, noopLogger } from '../ports/logger.js';
import type { EventStore } from '../store/event-store.js';

/**
 * What the SDK reports to: the tracing/metrics port and the logger. Absent when neither is
 * configured, and then nothing below is wired in: an unobserved SDK runs exactly the code it ran
 * before observability existed, at no cost.
 */
export interface Observation {
  readonly instrumentation: Instrumentation;
  readonly logger: Logger;
}

/** The observation a configuration asks for, or undefined when it asks for none. */
export const observationOf = (instrumentation: Instrumentation | undefined, logger: Logger | undefined): Observation | undefined =>
  instrumentation === undefined && logger === undefined ? undefined : { instrumentation: instrumentation ?? noopInstrumentation, logger: logger ?? noopLogger };

/** The store whose appends are spans, and whose commits are counted (OTP verdicts, locks). */
export const observedStore = (store: EventStore, { instrumentation }: Observation): EventStore => ({
  ...store,
  append: (writes, receipt) => async () => {
    const events = writes.reduce((count, write) => count + write.events.length, 0);
    const appended = await instrumentation.append(events, store.append(writes, receipt));
    if (appended._tag === 'Right') instrumentation.committed(appended.right.events);
    return appended;
  },
});

/** The engine whose verifications are spans. */
export const observedEngine = (engine: OtpEngine, { instrumentation }: Observation): OtpEngine => ({
  ...engine,
  verify: (request) => instrumentation.verifyOtp(() => Promise.resolve(engine.verify(request))),
});

/** The retry policy whose waits count as retries of the current dispatch. */
export const observedRetry = (policy: RetryPolicy | undefined, { instrumentation }: Observation): RetryPolicy => {
  const resolved = resolveRetryPolicy(policy);
  return {
    ...resolved,
    sleep: (ms) => {
      instrumentation.retried();
      return resolved.sleep(ms);
    },
  };
};

/**
 * The command type an input names, if it is a registered one; `unknown` otherwise, so a hostile
 * input never puts its own text into a span or a metric.
 */
const commandTypeOf = (types: ReadonlySet<string>, input: unknown): string => {
  try {
    const type: unknown = typeof input === 'object' && input !== null ? (input as { readonly type?: unknown }).type : undefined;
    return typeof type === 'string' && types.has(type) ? type : 'unknown';
  } catch {
    return 'unknown';
  }
};

/** `dispatch` as a span, with the failures an operator acts on logged. */
export const observedDispatch =
  <A>(dispatch: (command: unknown) => TE.TaskEither<SdkError, A>, types: ReadonlySet<string>, { instrumentation, logger }: Observation) =>
  (command: unknown): TE.TaskEither<SdkError, A> =>
  async () => {
    const commandType = commandTypeOf(types, command);
    const result: Either<SdkError, A> = await instrumentation.dispatch(commandType, dispatch(command));
    if (result._tag === 'Left') {
      const error = result.left;
      if (error._tag === 'ConcurrencyConflict') logger.warn({ commandType, error: loggedError(error) }, 'command retries exhausted');
      if (error._tag === 'Infrastructure') logger.error({ commandType, error: loggedError(error) }, 'command failed on infrastructure');
    }
    return result;
  };

/**
 * An inline listener whose failures are logged (the runtime ignores them: the command is durable
 * already) and, when its position is known, whose lag after each commit is reported. One thunk
 * around the listener's, not a chain of combinators: it runs for every listener on every commit.
 */
export const observedListener = (name: string, listener: CommitListener, { instrumentation, logger }: Observation, position?: () => number): CommitListener => ({
  catchUp: (committed) => async () => {
    const result = await listener.catchUp(committed)();
    const last = committed?.[committed.length - 1];
    if (result._tag === 'Left') logger.error({ projection: name, error: loggedError(result.left) }, 'projection failed');
    else if (position !== undefined && last !== undefined) instrumentation.lag({ kind: 'projection', name, eventsBehind: Math.max(0, last.globalPosition - position()) });
    return result;
  },
});
