import type { OtpParameters } from '../otp/engine.js';
import type { MaybePromise } from './maybe-async.js';

/** An activation code on its way to the one person who may see it: the token's owner. */
export interface ActivationCodeMessage {
  /** The owner: the user the token belongs to. */
  readonly companyId: string;
  readonly userId: string;
  readonly serial: string;
  /** The code in groups of four, as the owner types it into the app. A secret: deliver it, never log it. */
  readonly activationCode: string;
  /** When the code stops working (ISO 8601). */
  readonly expiresAt: string;
  /** What the app must be told to produce codes (not secret). */
  readonly otpParameters: OtpParameters;
  /** `assignment`: the token was just assigned; `reissue`: this code replaces an earlier one, which no longer works. */
  readonly reason: 'assignment' | 'reissue';
}

/**
 * How an activation code reaches the token's owner when someone else (a company admin, a bank
 * operator) issued it: the host sends it over a channel only the owner holds (an SMS to the
 * mobile the directory knows, an e-mail, a message in the bank's app). The code never appears in
 * the output of a command whose actor is not the owner. `deliver` may answer synchronously or
 * with a promise, and may throw or reject: the command then fails with an `Infrastructure` error
 * naming this port, and nothing is recorded.
 */
export interface ActivationCodeDelivery {
  /** Sends the code to the token's owner (SMS, e-mail, the bank's app); a throw or rejection fails the command, which then records nothing. */
  readonly deliver: (message: ActivationCodeMessage) => MaybePromise<void>;
}
