import { AsyncLocalStorage } from 'node:async_hooks';
import type { Attributes, Context, MeterProvider, Span, TracerProvider } from '@opentelemetry/api';
import { context, metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Either } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/clock.js';
import type { Instrumentation } from '../ports/instrumentation.js';
import { ATTRIBUTES, outcomeAttributes } from './attributes.js';
import { sdkMetrics } from './metrics.js';

/** The instrumentation scope the SDK's tracer and meter are named after. */
export const INSTRUMENTATION_SCOPE = 'softtoken-sdk';

/** The span names the SDK creates. */
export const SPAN_NAMES = {
  dispatch: 'softtoken.dispatch',
  append: 'softtoken.store.append',
  verifyOtp: 'softtoken.otp.verify',
} as const;

/** Where {@link openTelemetryInstrumentation} sends spans and metrics. */
export interface OpenTelemetryOptions {
  /** Default: the global tracer provider (`trace.getTracerProvider()`), which is a no-op until the host registers one. */
  readonly tracerProvider?: TracerProvider;
  /** Default: the global meter provider (`metrics.getMeterProvider()`). */
  readonly meterProvider?: MeterProvider;
  /** Dates the age of a relay's last published event when metrics are collected (default: the system clock). */
  readonly clock?: Clock;
}

/** The dispatch a child span or a retry belongs to. */
interface DispatchScope {
  readonly context: Context;
  retries: number;
}

/** Failures an operator must look at: the span's status is ERROR (a refused command is an answer, not an error). */
const FAILED: ReadonlySet<string> = new Set(['Infrastructure', 'ConcurrencyConflict']);

const dispatchFacts = (value: unknown): Attributes => {
  if (typeof value !== 'object' || value === null) return {};
  const { replayed, events } = value as { readonly replayed?: unknown; readonly events?: unknown };
  return {
    ...(typeof replayed === 'boolean' ? { [ATTRIBUTES.replayed]: replayed } : {}),
    ...(Array.isArray(events) ? { [ATTRIBUTES.events]: events.length } : {}),
  };
};

/**
 * The SDK's {@link Instrumentation} over OpenTelemetry: pass it to `createSdk({ instrumentation })`
 * (and to `observedRelay` / `observedProjectionRunner`). Spans: `softtoken.dispatch` per dispatch,
 * with `softtoken.store.append` and `softtoken.otp.verify` as its children, parented through the
 * SDK's own async context (correct under concurrent dispatches, whether or not the host registered
 * an OpenTelemetry context manager) and under the host's active span when there is one. Metrics:
 * see docs/observability.md. Only whitelisted attributes are set: never a command field or secret.
 */
export const openTelemetryInstrumentation = (options: OpenTelemetryOptions = {}): Instrumentation => {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_SCOPE);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_SCOPE);
  const clock = options.clock ?? systemClock;
  const instruments = sdkMetrics(meter, () => clock.now());
  const scopes = new AsyncLocalStorage<DispatchScope>();

  const inSpan = async <E, A>(span: Span, parent: Context, run: () => Promise<Either<E, A>>, outcome: (result: Either<E, A>) => Attributes): Promise<Either<E, A>> => {
    try {
      const result = await context.with(trace.setSpan(parent, span), run);
      span.setAttributes(outcome(result));
      return result;
    } catch (cause) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'threw' });
      throw cause;
    } finally {
      span.end();
    }
  };

  const child = <E, A>(name: string, attributes: Attributes, run: () => Promise<Either<E, A>>, outcome: (result: Either<E, A>) => Attributes): Promise<Either<E, A>> => {
    const parent = scopes.getStore()?.context ?? context.active();
    return inSpan(tracer.startSpan(name, { attributes }, parent), parent, run, outcome);
  };

  const dispatch = async <A>(commandType: string, run: () => Promise<Either<SdkError, A>>): Promise<Either<SdkError, A>> => {
    const started = performance.now();
    const parent = context.active();
    const span = tracer.startSpan(SPAN_NAMES.dispatch, { attributes: { [ATTRIBUTES.commandType]: commandType } }, parent);
    const scope: DispatchScope = { context: trace.setSpan(parent, span), retries: 0 };
    try {
      const result = await scopes.run(scope, () => context.with(scope.context, run));
      const attributes = outcomeAttributes(commandType, result);
      span.setAttributes({ ...attributes, [ATTRIBUTES.retries]: scope.retries, ...(result._tag === 'Right' ? dispatchFacts(result.right) : {}) });
      if (result._tag === 'Left' && FAILED.has(result.left._tag)) span.setStatus({ code: SpanStatusCode.ERROR, message: result.left.code });
      instruments.commands.add(1, attributes);
      instruments.duration.record((performance.now() - started) / 1000, attributes);
      const byType = { [ATTRIBUTES.commandType]: commandType };
      if (scope.retries > 0) instruments.retries.add(scope.retries, byType);
      // Every retry followed a conflict; a dispatch that ends on one had one more.
      const conflicts = scope.retries + (result._tag === 'Left' && result.left._tag === 'ConcurrencyConflict' ? 1 : 0);
      if (conflicts > 0) instruments.conflicts.add(conflicts, byType);
      return result;
    } finally {
      span.end();
    }
  };

  return {
    dispatch,
    retried: () => {
      const scope = scopes.getStore();
      if (scope !== undefined) scope.retries++;
    },
    append: (events, run) =>
      child(SPAN_NAMES.append, { [ATTRIBUTES.events]: events }, run, (result) =>
        result._tag === 'Right' ? { [ATTRIBUTES.outcome]: 'ok' } : { [ATTRIBUTES.outcome]: result.left._tag, [ATTRIBUTES.errorCode]: result.left.code },
      ),
    verifyOtp: (run) => child(SPAN_NAMES.verifyOtp, {}, run, (result) => ({ [ATTRIBUTES.otpOutcome]: result._tag === 'Right' ? 'accepted' : result.left._tag })),
    committed: instruments.committed,
    lag: instruments.lag,
  };
};
