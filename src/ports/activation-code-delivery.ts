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
  /**
   * `assignment`: the token was just assigned; `reissue`: this code replaces an earlier one, which
   * no longer works; `reactivation`: a new phone for an existing token (the phone that enrols with
   * it replaces the current one; send it over a channel that does not depend on that phone).
   */
  readonly reason: 'assignment' | 'reissue' | 'reactivation';
}

/** A lost token's temporary access on its way to the owner: one-time codes that confirm in the token's stead. */
export interface RecoveryCodesMessage {
  /** The owner: the user the token belongs to. */
  readonly companyId: string;
  readonly userId: string;
  readonly serial: string;
  /** `recovery-codes`: a short list; `emergency-code`: a single, shorter-lived code. */
  readonly kind: 'recovery-codes' | 'emergency-code';
  /** The codes in groups of four, each usable once. Secrets: deliver them, never log them. */
  readonly codes: readonly string[];
  /** When they stop working (ISO 8601). */
  readonly expiresAt: string;
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
  /**
   * Sends a lost token's one-time codes to its owner, over a channel that does not depend on the
   * lost phone (e-mail, a branch, a letter). Without it, ReportTokenLost cannot grant temporary
   * access. A throw or rejection fails the command, which then records nothing.
   */
  readonly deliverRecoveryCodes?: (message: RecoveryCodesMessage) => MaybePromise<void>;
}
