import type { Either } from 'fp-ts/lib/Either.js';
import type { MaybePromise } from '../ports/maybe-async.js';
import type { OtpRejection } from './rejection.js';

/** The HMAC hash functions of RFC 4226 / RFC 6238 tokens. */
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** A token's OATH parameters, as recorded in its stream. */
export interface OtpParameters {
  readonly mode: 'totp' | 'hotp';
  readonly algorithm: OtpAlgorithm;
  /** 6 to 8. */
  readonly digits: number;
  /** TOTP time step in seconds (default 30). */
  readonly period: number;
  /** TOTP steps accepted behind the current one (default 1). */
  readonly past: number;
  /** TOTP steps accepted ahead of the current one (default 1). */
  readonly future: number;
  /** HOTP counters searched ahead of the expected one (default 10). */
  readonly lookAhead: number;
}

/** The design's defaults: TOTP, SHA1, 6 digits, 30 s, one step either side, HOTP look-ahead 10. */
export const defaultOtpParameters: OtpParameters = {
  mode: 'totp',
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  past: 1,
  future: 1,
  lookAhead: 10,
};

/** What a command handler asks an `OtpEngine`: does this code confirm this token now? */
export interface OtpVerificationRequest {
  readonly serial: string;
  /** Where the token's seed is kept in the SecretVault; a vendor verifier may ignore it. */
  readonly seedRef: string;
  readonly parameters: OtpParameters;
  /** The code as the user typed it: anything that is not a well-formed code is `malformed`. */
  readonly code: unknown;
  readonly timeMs: number;
  /**
   * The last accepted TOTP step or HOTP counter. A TOTP step at or before it is a `replay`;
   * HOTP searches from the counter after it (from 0 when absent).
   */
  readonly lastAccepted?: bigint;
  /**
   * TOTP only: the token's clock drift in steps, as an earlier match or resync reported it. The
   * window is centred on the current step plus this (default 0). HOTP ignores it.
   */
  readonly drift?: number;
}

/** An accepted code. */
export interface OtpMatch {
  /** The matched TOTP time step or HOTP counter: the next verification's `lastAccepted`. */
  readonly step: bigint;
  /**
   * TOTP: the matched step minus the step of `timeMs` (the token's clock drift, to pass back as
   * `drift`). HOTP: the matched counter minus the expected one (`lastAccepted + 1`, or 0).
   */
  readonly drift: number;
}

/** A resynchronisation: find a drifted token from two consecutive codes. */
export interface OtpResyncRequest extends Omit<OtpVerificationRequest, 'code' | 'drift'> {
  /** Two codes the token showed one after the other. */
  readonly codes: readonly [unknown, unknown];
  /** How far ahead to search for them (default 1000 steps or counters). */
  readonly syncWindow?: number;
  /**
   * TOTP only: how many steps behind the current one the second code may be (the built-in
   * engines default to the token's `future`, which keeps the present step inside the window
   * afterwards). A pair older than that is refused, whatever the engine says: see `judgeResync`.
   */
  readonly lookBack?: number;
}

/** What the dynamic-linking rule asks an `OtpEngine`: is `response` the token's OCRA answer to `question` now? */
export interface OcraVerificationRequest {
  readonly serial: string;
  /** Where the token's seed is kept; the OCRA key is derived from it (`dynamicLinkingKey`). */
  readonly seedRef: string;
  /** The OCRA suite (`DYNAMIC_LINKING_SUITE`). */
  readonly suite: string;
  /** The question derived from the approval digest. */
  readonly question: string;
  /** The response as the user typed it. */
  readonly response: unknown;
  readonly timeMs: number;
}

/**
 * What command handlers call to check a code. The built-in engines compute TOTP/HOTP from the
 * seed in the vault; a host may plug in a vendor verifier (an HSM, a remote authentication
 * server) instead, which is why answers may be asynchronous.
 */
export interface OtpEngine {
  /** Checks one code. */
  readonly verify: (request: OtpVerificationRequest) => MaybePromise<Either<OtpRejection, OtpMatch>>;
  /** Finds the token's position from two consecutive codes. */
  readonly resync: (request: OtpResyncRequest) => MaybePromise<Either<OtpRejection, OtpMatch>>;
  /**
   * Checks an OCRA response of dynamic linking (RFC 6287, a time-based suite). Optional: an engine
   * without it cannot confirm approvals a policy puts under dynamic linking (they fail as
   * `Infrastructure`). The match's `step` is the OCRA time step.
   */
  readonly verifyOcra?: (request: OcraVerificationRequest) => MaybePromise<Either<OtpRejection, OtpMatch>>;
}
