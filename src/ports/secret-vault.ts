import type { MaybePromise } from './maybe-async.js';

/**
 * Holds OTP seeds and pending activation codes by reference. Events carry only the reference;
 * deleting a token destroys its seed, which makes every code it ever produced unverifiable
 * (crypto-shredding). A host backs this with an HSM or a KMS-encrypted table.
 */
export interface SecretVault {
  /** Stores a secret under a reference, replacing any previous one. */
  readonly put: (ref: string, secret: Uint8Array) => MaybePromise<void>;
  /** The secret, or undefined when there is none (never stored, or destroyed). */
  readonly get: (ref: string) => MaybePromise<Uint8Array | undefined>;
  /** Destroys the secret for good. */
  readonly destroy: (ref: string) => MaybePromise<void>;
}
