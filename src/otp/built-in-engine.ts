/**
 * The SDK's own `OtpEngine`: RFC 4226 / RFC 6238 over the seed kept in a `SecretVault`.
 */
import type { Either } from 'fp-ts/lib/Either.js';
import { left, map } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { MaybePromise } from '../ports/maybe-async.js';
import type { SecretVault } from '../ports/secret-vault.js';
import type { OcraVerificationRequest, OtpAlgorithm, OtpEngine, OtpMatch, OtpParameters, OtpResyncRequest, OtpVerificationRequest } from './engine.js';
import { dynamicLinkingKey } from './dynamic-linking-key.js';
import { verifyOcra } from './ocra.js';
import type { HotpMatch } from './hotp.js';
import { verifyHotp } from './hotp.js';
import { MAX_COUNTER } from './internal/options.js';
import type { OtpRejection } from './rejection.js';
import { invalidOptions, mismatch, unavailable } from './rejection.js';
import { resyncHotp, resyncTotp } from './resync.js';
import { verifyTotp } from './totp.js';

/** Options of `builtInOtpEngine`. */
export interface BuiltInOtpEngineOptions {
  /**
   * Verify codes of seeds shorter than 128 bits, for imported legacy hardware tokens. Off by
   * default: such seeds are then refused as `weak-secret`.
   */
  readonly allowShortSecret?: boolean;
}

type Answer = Either<OtpRejection, OtpMatch>;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { readonly then?: unknown }).then === 'function';

const asOtpMatch = (match: HotpMatch): OtpMatch => ({ step: match.counter, drift: match.drift });

/** `lastAccepted` read defensively: undefined when absent, null when it is not a counter. */
const lastAcceptedOf = (value: unknown): bigint | undefined | null => {
  if (value === undefined) return undefined;
  if (typeof value === 'bigint') return value;
  return Number.isSafeInteger(value) ? BigInt(value as number) : null;
};

/**
 * The built-in engine: TOTP and HOTP (and OCRA responses of dynamic linking, with the key derived from the seed), as each token's `parameters.mode` says, with the seed read
 * from `vault` by `seedRef`. TOTP refuses steps at or before `lastAccepted` (`replay`) and
 * centres its window on the token's known `drift`; HOTP searches from the counter after
 * `lastAccepted` (0 when absent) up to `lookAhead` further. A missing seed, or a vault that
 * throws or rejects, is `unavailable`; the vault may answer synchronously or with a promise,
 * and so does the engine. Seeds under 128 bits are `weak-secret` unless `allowShortSecret`.
 */
export const builtInOtpEngine = (vault: SecretVault, options: BuiltInOtpEngineOptions = {}): OtpEngine => {
  // `options` from plain JavaScript may be anything (null included): only an explicit true allows short seeds.
  const allowShortSecret = (options as BuiltInOtpEngineOptions | null)?.allowShortSecret === true;

  /** Reads the seed and answers with it, in step with the vault: synchronously or not. */
  const withSeed = (seedRef: string, answer: (seed: Uint8Array) => Answer): MaybePromise<Answer> => {
    const withStored = (stored: unknown): Answer => {
      if (stored === undefined) return left(unavailable('no seed is stored for this token'));
      if (!(stored instanceof Uint8Array)) return left(unavailable('the secret vault returned something other than bytes'));
      return answer(stored);
    };
    const vaultFailed = (): Answer => left(unavailable('the secret vault failed'));
    let stored: unknown;
    try {
      stored = vault.get(seedRef);
    } catch {
      return vaultFailed();
    }
    return isThenable(stored) ? Promise.resolve(stored).then(withStored, vaultFailed) : withStored(stored);
  };

  /** Checks what verify and resync share before touching the vault. */
  const requestProblem = (request: OtpVerificationRequest | OtpResyncRequest): Answer | undefined => {
    const fields: unknown = request;
    if (typeof fields !== 'object' || fields === null) return left(invalidOptions('the request must be an object'));
    const parameters: unknown = request.parameters;
    if (typeof parameters !== 'object' || parameters === null) return left(invalidOptions('parameters must be an object'));
    const mode: unknown = request.parameters.mode;
    if (mode !== 'totp' && mode !== 'hotp') return left(invalidOptions("mode must be 'totp' or 'hotp'"));
    if (lastAcceptedOf(request.lastAccepted) === null) return left(invalidOptions('lastAccepted must be a bigint'));
    return undefined;
  };

  /** The HOTP counter the token should be at. */
  const expectedCounter = (request: OtpVerificationRequest | OtpResyncRequest): bigint => {
    const last = lastAcceptedOf(request.lastAccepted);
    return last === undefined || last === null ? 0n : last + 1n;
  };

  const codeOptions = (parameters: OtpParameters): { algorithm: OtpAlgorithm; digits: number; allowShortSecret: boolean } => ({ algorithm: parameters.algorithm, digits: parameters.digits, allowShortSecret });

  const verify = (request: OtpVerificationRequest): MaybePromise<Answer> => {
    const problem = requestProblem(request);
    if (problem !== undefined) return problem;
    const { parameters, lastAccepted, drift } = request;
    if (parameters.mode === 'totp') {
      return withSeed(request.seedRef, (seed) =>
        verifyTotp(seed, request.code, {
          ...codeOptions(parameters),
          period: parameters.period,
          past: parameters.past,
          future: parameters.future,
          timeMs: request.timeMs,
          ...(lastAccepted === undefined ? {} : { afterStep: lastAccepted }),
          ...(drift === undefined ? {} : { drift }),
        }),
      );
    }
    const counter = expectedCounter(request);
    // A token whose last counter has been used can produce no new code.
    if (counter > MAX_COUNTER) return left(mismatch);
    return withSeed(request.seedRef, (seed) =>
      pipe(verifyHotp(seed, request.code, { ...codeOptions(parameters), counter, lookAhead: parameters.lookAhead }), map(asOtpMatch)),
    );
  };

  const resync = (request: OtpResyncRequest): MaybePromise<Answer> => {
    const problem = requestProblem(request);
    if (problem !== undefined) return problem;
    const { parameters, lastAccepted, syncWindow, lookBack } = request;
    const window = syncWindow === undefined ? {} : { syncWindow };
    if (parameters.mode === 'totp') {
      return withSeed(request.seedRef, (seed) =>
        resyncTotp(seed, request.codes, {
          ...codeOptions(parameters),
          ...window,
          lookBack: lookBack ?? parameters.future,
          period: parameters.period,
          timeMs: request.timeMs,
          ...(lastAccepted === undefined ? {} : { afterStep: lastAccepted }),
        }),
      );
    }
    const counter = expectedCounter(request);
    if (counter > MAX_COUNTER) return left(mismatch);
    return withSeed(request.seedRef, (seed) =>
      pipe(resyncHotp(seed, request.codes, { ...codeOptions(parameters), ...window, counter }), map(asOtpMatch)),
    );
  };

  const verifyDynamicLinking = (request: OcraVerificationRequest): MaybePromise<Answer> => {
    const fields: unknown = request;
    if (typeof fields !== 'object' || fields === null) return left(invalidOptions('the request must be an object'));
    return withSeed(request.seedRef, (seed) =>
      pipe(
        verifyOcra(request.suite, dynamicLinkingKey(seed), request.response, { question: request.question, timeMs: request.timeMs }),
        map((match): OtpMatch => ({ step: match.step ?? 0n, drift: match.drift ?? 0 })),
      ),
    );
  };

  return { verify, resync, verifyOcra: verifyDynamicLinking };
};
