import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { formatActivationCode, generateActivationCode } from '../../activation/activation-code.js';
import { normalizeSerial } from '../../activation/serial-input.js';
import type { HandlerContext } from '../command-handler.js';
import { exactDirectoryUser, userIdAlias } from '../directory-lookup.js';
import { fromHostPort } from '../host-port.js';
import { companyStreamId } from '../../domain/company/events.js';
import { companyFold } from '../../domain/company/fold.js';
import type { CompanyPolicy } from '../../domain/company/policy.js';
import type { CompanyState } from '../../domain/company/state.js';
import type { ActivationCodeIssue } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { tokenFold } from '../../domain/token/fold.js';
import type { Token, TokenState } from '../../domain/token/state.js';
import { invalidCommand, notFound, preconditionFailed, type SdkError } from '../../errors/sdk-error.js';
import type { OtpEngine, OtpParameters } from '../../otp/engine.js';
import type { Directory, DirectoryUser } from '../../ports/directory.js';
import type { ActivationCodeDelivery, ActivationCodeMessage } from '../../ports/activation-code-delivery.js';
import type { Random } from '../../ports/random.js';
import type { SecretVault } from '../../ports/secret-vault.js';

/** The ports the token handlers use besides those the runtime owns (store, clock, random). */
export interface TokenHandlerDeps {
  readonly directory: Directory;
  readonly vault: SecretVault;
  readonly otpEngine: OtpEngine;
  /** The bank prefix of new serials (1 to 4 upper-case letters). */
  readonly serialPrefix: string;
  /** Whether ImportPhysicalToken may take a seed under 128 bits when the command sets `legacyShortSeed`. */
  readonly allowLegacyShortSeeds: boolean;
  /** How an activation code issued by someone other than its owner reaches the owner; none: such commands are refused. */
  readonly activationCodeDelivery?: ActivationCodeDelivery;
}

/** A serial as typed, normalized, or an InvalidCommand naming the field. */
export const serialField = (typed: string): E.Either<SdkError, string> =>
  E.mapLeft(() => invalidCommand([{ path: 'serial', message: 'must be 1 to 64 letters and digits' }]))(normalizeSerial(typed));

/** A fresh, unguessable vault reference. */
export const newSecretRef = (random: Random, kind: 'seed' | 'activation-code'): string => `${kind}-${bytesToHex(random.bytes(16))}`;

/** A loaded company stream. */
export interface LoadedCompany {
  readonly companyId: string;
  readonly state: CompanyState;
  readonly version: number;
}

/** A loaded token stream whose token exists. */
export interface LoadedToken {
  readonly token: Token;
  readonly version: number;
}

/** Loads a company stream. */
export const loadCompany = (context: HandlerContext, companyId: string): TaskEither<SdkError, LoadedCompany> =>
  pipe(
    context.load(companyStreamId(companyId), companyFold),
    TE.map(({ state, version }) => ({ companyId, state, version })),
  );

/** A loaded token stream, whatever its state. */
export interface LoadedTokenState {
  readonly state: TokenState;
  readonly version: number;
}

/** Loads a token stream, whatever its state. */
export const loadTokenState = (context: HandlerContext, serial: string): TaskEither<SdkError, LoadedTokenState> => context.load(tokenStreamId(serial), tokenFold);

/**
 * Where an activation code went: `in-output` (the actor is the token's owner: `activationCode`
 * holds it), `sent-to-owner` (through the host's `ActivationCodeDelivery`), or `already-issued`
 * (a replay of the command: the code is never given twice).
 */
export type ActivationCodeDeliveryRoute = 'in-output' | 'sent-to-owner' | 'already-issued';

/** What a command that issues an activation code returns. */
export interface ActivationOutput {
  /** The code in groups of four: only in the output of the token's owner, and only the first time. */
  readonly activationCode?: string;
  readonly codeDelivery: ActivationCodeDeliveryRoute;
  readonly activationCodeExpiresAt: string;
  /** What the app must be told to produce codes (also given to `activateDevice`). */
  readonly otpParameters: OtpParameters;
}

/** What ConfirmTokenAssignment and ReissueActivationCode return: the activation code only for its owner. */
export interface ActivationCodeOutput {
  readonly serial: string;
  readonly status: 'assigned';
  readonly activation: ActivationOutput;
}

/** Where a new activation code may go: the actor's own output when they own the token, else the delivery port. */
export type CodeRecipient = { readonly _tag: 'actor-is-owner' } | { readonly _tag: 'port'; readonly delivery: ActivationCodeDelivery };

/**
 * Decided before anything is written: an actor who is not the token's owner never sees the code,
 * so without a delivery port such a command is refused (a code nobody can receive is useless, and
 * handing it to the admin would let them clone the token: docs/activation-protocol.md).
 */
export const codeRecipient = (deps: TokenHandlerDeps, command: string, actorIsOwner: boolean): E.Either<SdkError, CodeRecipient> =>
  actorIsOwner
    ? E.right({ _tag: 'actor-is-owner' })
    : deliveryPort(deps, `${command} by someone other than the token's owner needs createSdk's activationCodeDelivery: the activation code may reach only the owner`);

/** The host's delivery port as the code's only way to the owner; refused with `whyNeeded` when the host gave none. */
export const deliveryPort = (deps: TokenHandlerDeps, whyNeeded: string): E.Either<SdkError, CodeRecipient> =>
  deps.activationCodeDelivery === undefined
    ? E.left(preconditionFailed('activation-code-delivery', whyNeeded))
    : E.right({ _tag: 'port', delivery: deps.activationCodeDelivery });

/** A fresh activation code in the vault: the issue the events record, and the code for its owner. */
export interface IssuedActivationCode {
  readonly issue: ActivationCodeIssue;
  readonly code: string;
}

/** A fresh activation code, stored in the vault under a new reference; only its reference and expiry go into events. */
export const issueActivationCode = (vault: SecretVault, context: HandlerContext, policy: CompanyPolicy): TaskEither<SdkError, IssuedActivationCode> => {
  const code = generateActivationCode(context.random);
  const ref = newSecretRef(context.random, 'activation-code');
  const expiresAtMs = context.now + policy.activationCodeTtlSeconds * 1000;
  return pipe(
    fromHostPort('the secret vault', () => vault.put(ref, utf8ToBytes(code))),
    TE.map(() => ({ issue: { ref, expiresAtMs, parameters: policy.otp }, code: formatActivationCode(code) })),
  );
};

/**
 * Hands a code over to its owner, last thing before the decision is returned: in the output when
 * the owner is the actor, else through the delivery port. A failed delivery fails the command
 * (nothing is recorded) and the unused code is destroyed.
 */
export const handOverActivationCode = (
  deps: TokenHandlerDeps,
  recipient: CodeRecipient,
  issued: IssuedActivationCode,
  owner: Pick<ActivationCodeMessage, 'companyId' | 'userId' | 'serial' | 'reason'>,
): TaskEither<SdkError, ActivationOutput> => {
  const { issue, code } = issued;
  const expiresAt = new Date(issue.expiresAtMs).toISOString();
  const withoutCode = { activationCodeExpiresAt: expiresAt, otpParameters: issue.parameters };
  if (recipient._tag === 'actor-is-owner') return TE.right({ activationCode: code, codeDelivery: 'in-output', ...withoutCode });
  const message: ActivationCodeMessage = { ...owner, activationCode: code, expiresAt, otpParameters: issue.parameters };
  return pipe(
    fromHostPort('the activation code delivery', () => recipient.delivery.deliver(message)),
    TE.map((): ActivationOutput => ({ codeDelivery: 'sent-to-owner', ...withoutCode })),
    // The unused code is destroyed (best effort) and the delivery's failure is the command's.
    TE.orElse((failed) =>
      pipe(
        fromHostPort('the secret vault', () => deps.vault.destroy(issue.ref)),
        TE.orElseW(() => TE.right(undefined)),
        TE.chainW(() => TE.left(failed)),
      ),
    ),
  );
};

/** The directory's user of that id in the company, who must be active (a physical token is given only to an active user). */
export const activeUserOf = (deps: Pick<TokenHandlerDeps, 'directory'>, companyId: string, userId: string): TaskEither<SdkError, DirectoryUser> =>
  pipe(
    exactDirectoryUser(deps.directory, companyId, userId, userIdAlias),
    TE.chainEitherK((user) =>
      user === undefined
        ? E.left(notFound('user', `${companyId}/${userId}`))
        : user.active
          ? E.right(user)
          : E.left(preconditionFailed('user-active', `user ${userId} is not active`)),
    ),
  );
