import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { DecisionWrite, HandlerContext } from './command-handler.js';
import { fromHostPort } from './host-port.js';
import { conflictIfMoved } from './stale-read.js';
import { preconditionFailed, type SdkError } from '../errors/sdk-error.js';
import type { Actor } from '../events/envelope.js';
import type { OtpEngine, OtpMatch } from '../otp/engine.js';
import type { OtpRejection } from '../otp/rejection.js';
import { companyStreamId } from '../domain/company/events.js';
import { companyFold } from '../domain/company/fold.js';
import type { CompanyPolicy } from '../domain/company/policy.js';
import type { CompanyState } from '../domain/company/state.js';
import { tokenStreamId } from '../domain/token/events.js';
import { tokenFold } from '../domain/token/fold.js';
import type { TokenState } from '../domain/token/state.js';
import { chooseFactor, chooseRecoveryFactor } from '../domain/otp-rule/factor.js';
import { judgeOtp, judgeRecoveryCode, requireOtp, type OtpJudgement } from '../domain/otp-rule/rule.js';
import { chooseConfirmationFactor } from '../domain/otp-rule/app-signature.js';
import { isLockedAt } from '../domain/token/state.js';
import { checkAppSignature } from './app-signature.js';

/** What a sensitive command asks of the OTP rule. */
export interface OtpConfirmationRequest {
  readonly actor: Actor;
  /** The code the actor typed, if any (an enrolled actor without one gets `OtpRequired`). */
  readonly code: unknown;
  /** Or the app's signature of a challenge issued for this command (`{ challengeId, signature }`), where the token has a key. */
  readonly confirmation?: unknown;
  /** The command being confirmed: recorded in `OtpAccepted` / `OtpRejected`. */
  readonly command: string;
}

/**
 * The rule's answer:
 * - `NotEnrolled`: the actor has no active token (or is not a user); the command goes on without one
 *   (a user whose company lists the command in `requireEnrolment` gets `PreconditionFailed` instead);
 * - `Confirmed`: the code was accepted; `write` must go into the command's own atomic append;
 * - `Signed`: the token's app signed the challenge issued for this command; `write` (the challenge used) likewise;
 * - `Refused`: the code was not accepted; commit `write` and fail with `error` (see `refusal`).
 */
export type OtpCheck =
  | { readonly _tag: 'NotEnrolled' }
  | {
      readonly _tag: 'Confirmed';
      readonly serial: string;
      readonly match: OtpMatch;
      readonly write: DecisionWrite;
      /** Set when a lost token's one-time code confirmed (then `match.step` is the code's index). */
      readonly factor?: 'recovery-code';
    }
  | { readonly _tag: 'Signed'; readonly serial: string; readonly challengeId: string; readonly write: DecisionWrite }
  | { readonly _tag: 'Refused'; readonly serial: string; readonly write: DecisionWrite; readonly error: SdkError };

interface LoadedToken {
  readonly serial: string;
  readonly state: TokenState;
  readonly version: number;
}

const loadTokens = (context: HandlerContext, serials: readonly (string | undefined)[]): TaskEither<SdkError, readonly LoadedToken[]> =>
  pipe(
    serials.filter((serial): serial is string => serial !== undefined),
    TE.traverseSeqArray((serial) => TE.map((stream: { readonly state: TokenState; readonly version: number }): LoadedToken => ({ serial, ...stream }))(context.load(tokenStreamId(serial), tokenFold))),
  );

/**
 * An engine that found no seed may have been asked about a token that a command committed
 * meanwhile retired (a delete, whose seed the shredder destroyed): that is a conflict, retried on
 * the new state, not a verifier failure. A token that has not moved keeps the engine's answer.
 */
export const unlessSeedRetired = (context: HandlerContext, serial: string, version: number, verdict: E.Either<OtpRejection, OtpMatch>): TaskEither<SdkError, void> =>
  pipe(
    verdict,
    E.match(
      (rejection) => (rejection._tag === 'unavailable' ? conflictIfMoved(context, tokenStreamId(serial), tokenFold, version) : TE.right(undefined)),
      () => TE.right(undefined),
    ),
  );

/**
 * An actor with no active token goes on without a code (the manual's normal flow), unless their
 * company requires enrolment for this command.
 */
export const notEnrolled = (policy: Pick<CompanyPolicy, 'requireEnrolment'>, command: string): E.Either<SdkError, OtpCheck> =>
  policy.requireEnrolment.some((action) => action === command)
    ? E.left(preconditionFailed('enrolled', `the company requires an active token for ${command}: the acting user has none`))
    : E.right({ _tag: 'NotEnrolled' });

/**
 * The one OTP rule, for any domain's sensitive command: finds the actor's factor through their
 * company's index (their active soft token, else their active physical token), asks the engine,
 * and turns the verdict into the events for the factor's stream, to be appended with
 * `expectedVersion` = the version just read, so that one code is accepted at most once.
 */
export const checkOtp =
  (engine: OtpEngine) =>
  (context: HandlerContext, request: OtpConfirmationRequest): TaskEither<SdkError, OtpCheck> =>
  request.actor.kind !== 'user'
    ? TE.right({ _tag: 'NotEnrolled' })
    : confirmUser(engine, context, request, request.actor);

const confirmUser = (engine: OtpEngine, context: HandlerContext, request: OtpConfirmationRequest, actor: Extract<Actor, { readonly kind: 'user' }>): TaskEither<SdkError, OtpCheck> =>
  pipe(
    TE.Do,
    TE.bind('company', () => context.load<CompanyState>(companyStreamId(actor.companyId), companyFold)),
    TE.let('holding', ({ company }) => company.state.holdings.get(actor.userId)),
    TE.bind('tokens', ({ holding }) => loadTokens(context, [holding?.soft, holding?.physical])),
    TE.chain(({ company, holding, tokens }) => {
      const [soft, physical] = [holding?.soft, holding?.physical].map((serial) => tokens.find((token) => token.serial === serial));
      const states = { ...(soft === undefined ? {} : { soft: soft.state }), ...(physical === undefined ? {} : { physical: physical.state }) };
      const versionOf = (serial: string): number => tokens.find((loaded) => loaded.serial === serial)?.version ?? 0;
      const facts = { command: request.command, nowMs: context.now, policy: company.state.policy };
      const factor = chooseFactor(states);
      // A lost token's one-time codes confirm only when the user has no usable factor.
      const recovery = factor === undefined ? chooseRecoveryFactor(states, context.now) : undefined;
      if (recovery !== undefined) {
        return TE.fromEither(E.map((judgement: OtpJudgement) => asCheck(judgement, versionOf(recovery.serial), 'recovery-code'))(judgeRecoveryCode(recovery, request.code, facts)));
      }
      // Confirm with a factor of the enrolled token: a typed code, or its app's signature (app-signature.ts).
      const { policy } = company.state;
      const chosen = factor === undefined || isLockedAt(factor, context.now) ? E.right('code') : chooseConfirmationFactor(factor, request, { command: request.command, factors: policy.confirmationFactors });
      return pipe(
        TE.fromEither(chosen),
        TE.chain((how): TaskEither<SdkError, OtpCheck> =>
          how === 'app-signature' && factor !== undefined
            ? checkAppSignature(context, { token: factor, version: versionOf(factor.serial), confirmation: request.confirmation, command: request.command, policy })
            : pipe(
                TE.fromEither(requireOtp(factor, request.code, context.now)),
                TE.chain((requirement) => {
                  if (requirement._tag === 'NotEnrolled') return TE.fromEither(notEnrolled(policy, request.command));
                  const { token, request: verification } = requirement;
                  const version = versionOf(token.serial);
                  return pipe(
                    fromHostPort('the OTP engine', () => engine.verify(verification)),
                    TE.chainFirst((verdict) => unlessSeedRetired(context, token.serial, version, verdict)),
                    TE.chainEitherK((verdict) => judgeOtp(token, verdict, facts)),
                    TE.map((judgement) => asCheck(judgement, version)),
                  );
                }),
              ),
        ),
      );
    }),
  );

/** A judgement as the rule's answer: its events to be appended to the factor's stream at the version read. */
const asCheck = (judgement: OtpJudgement, version: number, factor?: 'recovery-code'): OtpCheck => {
  const write: DecisionWrite = { streamId: tokenStreamId(judgement.serial), expectedVersion: version, events: judgement.events };
  return judgement._tag === 'Accepted'
    ? { _tag: 'Confirmed', serial: judgement.serial, match: judgement.match, write, ...(factor === undefined ? {} : { factor }) }
    : { _tag: 'Refused', serial: judgement.serial, write, error: judgement.error };
};
