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

/** The discriminant of {@link OtpRejection}. */
export type OtpRejectionTag = OtpRejection['_tag'];
