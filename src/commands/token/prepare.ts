import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Decision, HandlerContext } from '../command-handler.js';
import { checkOtp, type OtpCheck } from '../confirmation.js';
import { refusal } from '../otp-record.js';
import { gatherActor } from '../gather-actor.js';
import { initialCompanyState } from '../../domain/company/state.js';
import { admitExisting, type AdmittedToken } from '../../domain/token/admit.js';
import type { ExistingTokenCommand, TokenFacts } from '../../domain/token/decide.js';
import { tokenExists } from '../../domain/token/state.js';
import type { SdkError } from '../../errors/sdk-error.js';
import type { Actor } from '../../events/envelope.js';
import { loadCompany, loadTokenState, serialField, type LoadedCompany, type TokenHandlerDeps } from './context.js';

/** Everything a command about an existing token has checked before it looks at an OTP. */
export interface PreparedTokenCommand {
  readonly serial: string;
  /** The facts `decide` was given: the actor, the time, the company policy. */
  readonly facts: TokenFacts;
  /** The token and who may act on it, as the pure `admitExisting` let them through. */
  readonly admitted: AdmittedToken;
  /** The token stream's version the decision was made on. */
  readonly version: number;
  readonly company: LoadedCompany;
}

/** A command about an existing token, as the handlers hand it over. */
export interface ExistingTokenRequest {
  readonly type: ExistingTokenCommand['type'] | 'ResyncToken';
  readonly serial: string;
  readonly actor: Actor;
}

/**
 * The shell before the OTP rule of a command about an existing token: decode the serial, gather
 * the actor (directory), load the token and its company, and let the pure `admitExisting` decide
 * who may do what from which state. Only then does the OTP rule run, so a refused command never
 * spends or counts a code.
 */
export const prepareTokenCommand = (deps: TokenHandlerDeps, context: HandlerContext, command: ExistingTokenRequest): TaskEither<SdkError, PreparedTokenCommand> =>
  pipe(
    TE.Do,
    TE.bind('serial', () => TE.fromEither(serialField(command.serial))),
    TE.bind('actor', () => gatherActor(deps.directory, command.actor)),
    TE.bind('target', ({ serial }) => loadTokenState(context, serial)),
    // Another company's stream is never read for a user: their token reads as not found.
    TE.bind('company', ({ target, actor }) =>
      tokenExists(target.state) && (actor.kind !== 'user' || actor.companyId === target.state.companyId)
        ? loadCompany(context, target.state.companyId)
        : TE.right<SdkError, LoadedCompany>({ companyId: '', state: initialCompanyState, version: 0 }),
    ),
    TE.chainEitherK(({ serial, actor, target, company }) => {
      const facts: TokenFacts = { actor, nowMs: context.now, policy: company.state.policy };
      return pipe(
        admitExisting(command.type, target.state, serial, facts),
        E.map((admitted): PreparedTokenCommand => ({ serial, facts, admitted, version: target.version, company })),
      );
    }),
  );

/** The OTP rule's verdict once a refusal is ruled out: the actor is not enrolled, or confirmed a code. */
export type PassedOtpCheck = Exclude<OtpCheck, { readonly _tag: 'Refused' }>;

/**
 * Runs the OTP rule for the actor of a command the domain admitted; a refused code answers the
 * recorded refusal instead of calling `next`.
 */
export const confirmingOtp =
  <O>(deps: TokenHandlerDeps, context: HandlerContext, command: { readonly type: string; readonly actor: Actor; readonly otp?: unknown; readonly confirmation?: unknown }, next: (check: PassedOtpCheck) => TaskEither<SdkError, Decision<O>>): TaskEither<SdkError, Decision<O>> =>
    pipe(
      checkOtp(deps.otpEngine)(context, { actor: command.actor, code: command.otp, confirmation: command.confirmation, command: command.type }),
      TE.chain((check) => (check._tag === 'Refused' ? TE.right(refusal<O>(check)) : next(check))),
    );

/**
 * A command about an existing token that the OTP rule guards: the admission (`prepareTokenCommand`),
 * then the OTP rule (a refused code is recorded and fails the command), then `decide` with what was
 * admitted.
 */
export const confirmedTokenCommand = <O>(
  deps: TokenHandlerDeps,
  context: HandlerContext,
  command: ExistingTokenRequest & { readonly otp?: unknown; readonly confirmation?: unknown },
  decide: (prepared: PreparedTokenCommand, check: PassedOtpCheck) => TaskEither<SdkError, Decision<O>>,
): TaskEither<SdkError, Decision<O>> =>
  pipe(
    prepareTokenCommand(deps, context, command),
    TE.chain((prepared) => confirmingOtp(deps, context, command, (check) => decide(prepared, check))),
  );
