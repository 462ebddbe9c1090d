/**
 * softtoken-sdk/promise: the SDK for hosts that do not use fp-ts. Every call returns a `Promise`
 * of `{ ok: true, value } | { ok: false, error }` and never rejects; commands are typed as in the
 * core entry point.
 *
 * @packageDocumentation
 */
export { createSdk, promiseSdk } from './promise-sdk.js';
export type { PromiseSdk, PromiseViews } from './promise-sdk.js';
export type { Result } from './result.js';
