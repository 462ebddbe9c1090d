import type { MaybePromise } from './maybe-async.js';

/** What a key id may be: 1-64 letters, digits or `. _ : -` (it is stored beside every data key it wraps). */
export const isKeyId = (id: unknown): id is string => typeof id === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(id);

/** A data key wrapped (encrypted) under one key-encryption key, with that key's id. */
export interface WrappedKey {
  readonly keyId: string;
  readonly wrapped: Uint8Array;
}

/**
 * Holds the key-encryption keys (KEKs) of an envelope-encrypting vault: it wraps and unwraps data
 * keys and never hands a KEK out. A local key (`localKeyProvider`) serves development and tests;
 * in production an HSM (PKCS#11) or a KMS does it. Any method may answer with a promise, and
 * fails by throwing or rejecting (a `SecretVaultError` names what went wrong without a secret).
 *
 * `context` is authenticated with the wrapped key and not stored in it: unwrapping succeeds only
 * with the same context, which is how a vault binds a wrapped key to the reference it belongs to.
 */
export interface KeyProvider {
  /** The id of the key new data keys are wrapped under. */
  readonly currentKeyId: () => MaybePromise<string>;
  /** The ids of every key this provider can unwrap with, the current one included. */
  readonly knownKeyIds: () => MaybePromise<readonly string[]>;
  /** Wraps `dataKey` under the current key, bound to `context`. */
  readonly wrap: (dataKey: Uint8Array, context: Uint8Array) => MaybePromise<WrappedKey>;
  /** The data key of `wrapped`; fails (`UnknownKey`, `Tampered`) unless it was wrapped by a known key with the same context. */
  readonly unwrap: (wrapped: WrappedKey, context: Uint8Array) => MaybePromise<Uint8Array>;
}
