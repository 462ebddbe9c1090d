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
import { chooseFactor, chooseRecoveryFactor } from '../domain/otp-rule/factor.js';
import { judgeOtp, judgeRecoveryCode, requireOtp, type OtpJudgement } from '../domain/otp-rule/rule.js';

/** What a sensitive command asks of the OTP rule. */
export interface OtpConfirmationRequest {
  readonly actor: Actor;
  /** The code the actor typed, if any (an enrolled actor without one gets `OtpRequired`). */
  readonly code: unknown;
  /** The command being confirmed: recorded in `OtpAccepted` / `OtpRejected`. */
  readonly command: string;
}

/**
 * The rule's answer:
 * - `NotEnrolled`: the actor has no active token (or is not a user); the command goes on without one
 *   (a user whose company lists the command in `requireEnrolment` gets `PreconditionFailed` instead);
 * - `Confirmed`: the code was accepted; `write` must go into the command's own atomic append;
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
    const states = { ...(soft === undefined ? {} : { soft: soft.state }), ...(physical === undefined ? {} : { physical: physical.state }) };
    const factor = chooseFactor(states);
    const recovery = factor === undefined ? chooseRecoveryFactor(states, context.now) : undefined;
    if (recovery !== undefined) {
      const version = tokens.right.find((loaded) => loaded.serial === recovery.serial)?.version ?? 0;
      return E.map((judgement: OtpJudgement) => asCheck(judgement, version, 'recovery-code'))(
        judgeRecoveryCode(recovery, request.code, { command: request.command, nowMs: context.now, policy: company.right.state.policy }),
      );
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
    return E.map((judgement: OtpJudgement) => asCheck(judgement, version))(
      judgeOtp(token, verdict.right, { command: request.command, nowMs: context.now, policy: company.right.state.policy }),
    );
  };

/** A judgement as the rule's answer: its events to be appended to the factor's stream at the version read. */
const asCheck = (judgement: OtpJudgement, version: number, factor?: 'recovery-code'): OtpCheck => {
  const write: DecisionWrite = { streamId: tokenStreamId(judgement.serial), expectedVersion: version, events: judgement.events };
  return judgement._tag === 'Accepted'
    ? { _tag: 'Confirmed', serial: judgement.serial, match: judgement.match, write, ...(factor === undefined ? {} : { factor }) }
    : { _tag: 'Refused', serial: judgement.serial, write, error: judgement.error };
};
