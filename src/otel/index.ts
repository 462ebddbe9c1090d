/**
 * softtoken-sdk/otel: the SDK's traces and metrics over OpenTelemetry. Needs the optional peer
 * dependency `@opentelemetry/api`; nothing else in the SDK imports it. Build the instrumentation
 * once and pass it to `createSdk({ instrumentation })`, `observedRelay` and
 * `observedProjectionRunner`; without it the SDK records nothing and costs nothing.
 *
 * @packageDocumentation
 */
export { INSTRUMENTATION_SCOPE, openTelemetryInstrumentation, SPAN_NAMES } from './open-telemetry.js';
export type { OpenTelemetryOptions } from './open-telemetry.js';
export { ATTRIBUTES } from './attributes.js';
export type { Instrumentation, LagReport } from '../ports/instrumentation.js';
