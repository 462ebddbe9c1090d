import type { MaybePromise } from './maybe-async.js';

/** A confirmation challenge on its way to the token's app (nothing in it is secret). */
export interface ConfirmationMessage {
  /** The user whose app must answer. */
  readonly companyId: string;
  readonly userId: string;
  /** The token whose key must sign. */
  readonly serial: string;
  readonly challengeId: string;
  /** 32 random bytes, base64url: the app signs them with the digest. */
  readonly challenge: string;
  /** The digest (hex) of the command to confirm. */
  readonly digest: string;
  /** The command type to confirm. */
  readonly command: string;
  /** What the phone shows the user before they approve or reject. */
  readonly summary: string;
  /** When the challenge stops working (ISO 8601). */
  readonly expiresAt: string;
}

/**
 * How a confirmation challenge reaches the token's app: a push notification, or a queue the app
 * polls; the SDK never talks to a push service itself. Optional: without it the host takes the
 * challenge from `RequestConfirmation`'s output. `deliver` may answer with a promise, and may
 * throw or reject: the command then fails with an `Infrastructure` error and records nothing.
 */
export interface ConfirmationDelivery {
  /** Sends the challenge to the app of the token `message.serial`. */
  readonly deliver: (message: ConfirmationMessage) => MaybePromise<void>;
}
