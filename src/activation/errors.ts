/** What a protocol error can be about: a typed code, or (from the app's own calls) an argument. */
export type ActivationProtocolField = 'serial' | 'activationCode' | 'registrationCode' | 'input' | 'parameters' | 'random' | 'seed' | 'counter' | 'payload' | 'agreementKey' | 'signingKey' | 'proof' | 'serverKey' | 'keyConfirmation' | 'keys' | 'challenge';

/**
 * Why a step of the activation protocol failed. Never carries the activation code, the
 * registration code or the seed: only which field was wrong and how.
 */
export type ActivationProtocolError =
  | { readonly _tag: 'malformed'; readonly field: ActivationProtocolField; readonly detail: string }
  | { readonly _tag: 'check-digit'; readonly field: 'serial' | 'activationCode' | 'registrationCode' | 'payload' }
  | { readonly _tag: 'unsupported-version'; readonly version: number }
  | { readonly _tag: 'mismatch' };

/** A `malformed` error for a field, with a detail that never repeats the input. */
export const malformed = (
  field: ActivationProtocolField,
  detail: string,
): ActivationProtocolError => ({ _tag: 'malformed', field, detail });
