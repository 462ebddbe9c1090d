/**
 * Why a one-time password was not accepted. Never carries the code itself.
 * - `malformed`: not a string of the expected number of digits (wrong type, length or characters);
 * - `mismatch`: well formed, but no step of the window produces it;
 * - `replay`: it matches a step at or before the last one accepted;
 * - `weak-secret`: the seed is shorter than 128 bits and the legacy flag was not given;
 * - `invalid-options`: digits, period, window or algorithm out of their ranges;
 * - `unavailable`: the verifier could not answer (seed missing, vendor verifier down).
 */
export type OtpRejection =
  | { readonly _tag: 'malformed'; readonly detail: string }
  | { readonly _tag: 'mismatch' }
  | { readonly _tag: 'replay' }
  | { readonly _tag: 'weak-secret' }
  | { readonly _tag: 'invalid-options'; readonly detail: string }
  | { readonly _tag: 'unavailable'; readonly detail: string };

/** The `_tag` of an `OtpRejection`. */
export type OtpRejectionTag = OtpRejection['_tag'];

// Constructors. The detail strings name the field or the rule, never the code or the secret.

/** The code is not a string of the expected number of digits. */
export const malformed = (detail: string): OtpRejection => ({ _tag: 'malformed', detail });
/** No step or counter of the window produces the code. */
export const mismatch: OtpRejection = Object.freeze({ _tag: 'mismatch' });
/** The code belongs to a step at or before the last one accepted. */
export const replay: OtpRejection = Object.freeze({ _tag: 'replay' });
/** The seed is shorter than 128 bits (or empty) and the legacy flag was not given. */
export const weakSecret: OtpRejection = Object.freeze({ _tag: 'weak-secret' });
/** An option is out of its range. */
export const invalidOptions = (detail: string): OtpRejection => ({ _tag: 'invalid-options', detail });
/** The verifier could not answer. */
export const unavailable = (detail: string): OtpRejection => ({ _tag: 'unavailable', detail });
