import * as E from 'fp-ts/lib/Either.js';
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
import { chooseFactor } from '../domain/otp-rule/factor.js';
import { judgeOtp, requireOtp } from '../domain/otp-rule/rule.js';
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
  | { readonly _tag: 'Confirmed'; readonly serial: string; readonly match: OtpMatch; readonly write: DecisionWrite }
  | { readonly _tag: 'Signed'; readonly serial: string; readonly challengeId: string; readonly write: DecisionWrite }
  | { readonly _tag: 'Refused'; readonly serial: string; readonly write: DecisionWrite; readonly error: SdkError };

const loadTokens = async (
  context: HandlerContext,
  serials: readonly (string | undefined)[],
): Promise<E.Either<SdkError, readonly { readonly serial: string; readonly state: TokenState; readonly version: number }[]>> => {
  const loaded: { serial: string; state: TokenState; version: number }[] = [];
  for (const serial of serials) {
    if (serial === undefined) continue;
    const stream = await context.load(tokenStreamId(serial), tokenFold)();
    if (E.isLeft(stream)) return stream;
    loaded.push({ serial, ...stream.right });
  }
  return E.right(loaded);
};

/**
 * An engine that found no seed may have been asked about a token that a command committed
 * meanwhile retired (a delete, whose seed the shredder destroyed): that is a conflict, retried on
 * the new state, not a verifier failure. A token that has not moved keeps the engine's answer.
 */
export const unlessSeedRetired = (context: HandlerContext, serial: string, version: number, verdict: E.Either<OtpRejection, OtpMatch>): Promise<E.Either<SdkError, void>> =>
  E.isLeft(verdict) && verdict.left._tag === 'unavailable' ? conflictIfMoved(context, tokenStreamId(serial), tokenFold, version)() : Promise.resolve(E.right(undefined));

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
  async () => {
    const { actor } = request;
    if (actor.kind !== 'user') return E.right({ _tag: 'NotEnrolled' });
    const company = await context.load<CompanyState>(companyStreamId(actor.companyId), companyFold)();
    if (E.isLeft(company)) return company;
    const holding = company.right.state.holdings.get(actor.userId);
    const tokens = await loadTokens(context, [holding?.soft, holding?.physical]);
    if (E.isLeft(tokens)) return tokens;
    const [soft, physical] = [holding?.soft, holding?.physical].map((serial) => tokens.right.find((token) => token.serial === serial));
    const factor = chooseFactor({ ...(soft === undefined ? {} : { soft: soft.state }), ...(physical === undefined ? {} : { physical: physical.state }) });
    // Confirm with a factor of the enrolled token: a typed code, or its app's signature (app-signature.ts).
    const versionOf = (serial: string): number => tokens.right.find((loaded) => loaded.serial === serial)?.version ?? 0;
    const { policy } = company.right.state;
    const chosen = factor === undefined || isLockedAt(factor, context.now) ? E.right('code') : chooseConfirmationFactor(factor, request, { command: request.command, factors: policy.confirmationFactors });
    if (E.isLeft(chosen)) return chosen;
    if (chosen.right === 'app-signature' && factor !== undefined) {
      return checkAppSignature(context, { token: factor, version: versionOf(factor.serial), confirmation: request.confirmation, command: request.command, policy })();
    }
    const requirement = requireOtp(factor, request.code, context.now);
    if (E.isLeft(requirement)) return requirement;
    if (requirement.right._tag === 'NotEnrolled') return notEnrolled(company.right.state.policy, request.command);
    const { token, request: verification } = requirement.right;
    const version = tokens.right.find((loaded) => loaded.serial === token.serial)?.version ?? 0;
    const verdict = await fromHostPort('the OTP engine', () => engine.verify(verification))();
    if (E.isLeft(verdict)) return verdict;
    const current = await unlessSeedRetired(context, token.serial, version, verdict.right);
    if (E.isLeft(current)) return current;
    const judgement = judgeOtp(token, verdict.right, { command: request.command, nowMs: context.now, policy: company.right.state.policy });
    if (E.isLeft(judgement)) return judgement;
    const write: DecisionWrite = { streamId: tokenStreamId(token.serial), expectedVersion: version, events: judgement.right.events };
    return E.right(
      judgement.right._tag === 'Accepted'
        ? { _tag: 'Confirmed', serial: token.serial, match: judgement.right.match, write }
        : { _tag: 'Refused', serial: token.serial, write, error: judgement.right.error },
    );
  };
