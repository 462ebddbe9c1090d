import { concurrencyConflict } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { ExpectedVersion } from './event-store.js';

/** Whether a stream at `actual` (0 when it does not exist) satisfies the writer's expectation. */
export const expectedVersionMatches = (expected: ExpectedVersion, actual: number): boolean =>
  expected === 'any' || (expected === 'no-stream' ? actual === 0 : expected === actual);

/** The expectation as the `expected` field of a `ConcurrencyConflict` reports it. */
export const describeExpectedVersion = (expected: ExpectedVersion): string => (typeof expected === 'number' ? String(expected) : expected);

/** The `ConcurrencyConflict` for a stream whose version does not match, or undefined when it does. */
export const checkExpectedVersion = (streamId: string, expected: ExpectedVersion, actual: number): SdkError | undefined =>
  expectedVersionMatches(expected, actual) ? undefined : concurrencyConflict(streamId, describeExpectedVersion(expected), actual);
