import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { formatActivationCode, generateActivationCode } from '../../activation/activation-code.js';
import { normalizeSerial } from '../../activation/serial-input.js';
import type { HandlerContext } from '../command-handler.js';
import { actorAlias, exactDirectoryUser } from '../directory-lookup.js';
import { fromHostPort } from '../host-port.js';
import { companyStreamId } from '../../domain/company/events.js';
import { companyFold } from '../../domain/company/fold.js';
import type { CompanyPolicy } from '../../domain/company/policy.js';
import type { CompanyState } from '../../domain/company/state.js';
import type { ActorRoles } from '../../domain/token/authorize.js';
import type { ActivationCodeIssue } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { tokenFold } from '../../domain/token/fold.js';
import { tokenExists, type Token, type TokenState } from '../../domain/token/state.js';
import { forbidden, invalidCommand, notFound, preconditionFailed, type SdkError } from '../../errors/sdk-error.js';
import type { Actor } from '../../events/envelope.js';
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

/** Runs a TaskEither inside an async handler. */
export const run = <A>(task: TaskEither<SdkError, A>): Promise<E.Either<SdkError, A>> => task();

/** A serial as typed, normalized, or an InvalidCommand naming the field. */
export const serialField = (typed: string): E.Either<SdkError, string> =>
  E.mapLeft(() => invalidCommand([{ path: 'serial', message: 'must be 1 to 64 letters and digits' }]))(normalizeSerial(typed));

/** A fresh, unguessable vault reference. */
export const newSecretRef = (random: Random, kind: 'seed' | 'activation-code'): string => `${kind}-${bytesToHex(random.bytes(16))}`;

/**
 * The acting user as the directory knows them: a user actor must be an active user of their
 * company, named by the directory's canonical id (an alias is refused: see `exactDirectoryUser`). Bank operators have no directory entry (`undefined`); the system actor may not issue
 * lifecycle commands.
 */
export const actingUser = async (directory: Directory, actor: Actor): Promise<E.Either<SdkError, DirectoryUser | undefined>> => {
  if (actor.kind === 'bank') return E.right(undefined);
  if (actor.kind === 'system') return E.left(forbidden('the system actor cannot issue soft-token commands'));
  const user = await run(exactDirectoryUser(directory, actor.companyId, actor.userId, actorAlias));
  if (E.isLeft(user)) return user;
  if (user.right?.active !== true) return E.left(forbidden(`the acting user is not an active user of company ${actor.companyId}`));
  return E.right(user.right);
};

/** What the actor is to a token: its owner, an admin of its company, a bank operator. */
export const rolesOf = (actor: Actor, user: DirectoryUser | undefined, token: { readonly companyId: string; readonly userId: string }): ActorRoles => {
  const sameCompany = actor.kind === 'user' && actor.companyId === token.companyId;
  return {
    owner: sameCompany && actor.userId === token.userId,
    admin: sameCompany && user?.isCompanyAdmin === true,
    bank: actor.kind === 'bank',
  };
};

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
export const loadCompany = async (context: HandlerContext, companyId: string): Promise<E.Either<SdkError, LoadedCompany>> =>
  E.map(({ state, version }: { state: CompanyState; version: number }) => ({ companyId, state, version }))(
    await run(context.load(companyStreamId(companyId), companyFold)),
  );

/** Loads a token stream, whatever its state. */
export const loadTokenState = async (context: HandlerContext, serial: string): Promise<E.Either<SdkError, { readonly state: TokenState; readonly version: number }>> =>
  run(context.load(tokenStreamId(serial), tokenFold));

/**
 * Loads a token that must exist, and its company. A token of another company reads as not found to a
 * user actor (never forbidden), as another company's order does: a serial tells a user nothing about
 * other companies. The bank operator sees every company's tokens.
 */
export const loadTarget = async (
  context: HandlerContext,
  serial: string,
  actor: Actor,
): Promise<E.Either<SdkError, { readonly target: LoadedToken; readonly company: LoadedCompany }>> => {
  const loaded = await loadTokenState(context, serial);
  if (E.isLeft(loaded)) return loaded;
  const { state, version } = loaded.right;
  if (!tokenExists(state) || (actor.kind === 'user' && actor.companyId !== state.companyId)) return E.left(notFound('token', serial));
  const company = await loadCompany(context, state.companyId);
  if (E.isLeft(company)) return company;
  return E.right({ target: { token: state, version }, company: company.right });
};

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
export const codeRecipient = (deps: TokenHandlerDeps, command: string, actorIsOwner: boolean): E.Either<SdkError, CodeRecipient> => {
  if (actorIsOwner) return E.right({ _tag: 'actor-is-owner' });
  if (deps.activationCodeDelivery !== undefined) return E.right({ _tag: 'port', delivery: deps.activationCodeDelivery });
  return E.left(
    preconditionFailed(
      'activation-code-delivery',
      `${command} by someone other than the token's owner needs createSdk's activationCodeDelivery: the activation code may reach only the owner`,
    ),
  );
};

/** A fresh activation code in the vault: the issue the events record, and the code for its owner. */
export interface IssuedActivationCode {
  readonly issue: ActivationCodeIssue;
  readonly code: string;
}

/** A fresh activation code, stored in the vault under a new reference; only its reference and expiry go into events. */
export const issueActivationCode = async (
  vault: SecretVault,
  context: HandlerContext,
  policy: CompanyPolicy,
): Promise<E.Either<SdkError, IssuedActivationCode>> => {
  const code = generateActivationCode(context.random);
  const ref = newSecretRef(context.random, 'activation-code');
  const stored = await run(fromHostPort('the secret vault', () => vault.put(ref, utf8ToBytes(code))));
  if (E.isLeft(stored)) return stored;
  const expiresAtMs = context.now + policy.activationCodeTtlSeconds * 1000;
  return E.right({ issue: { ref, expiresAtMs, parameters: policy.otp }, code: formatActivationCode(code) });
};

/**
 * Hands a code over to its owner, last thing before the decision is returned: in the output when
 * the owner is the actor, else through the delivery port. A failed delivery fails the command
 * (nothing is recorded) and the unused code is destroyed.
 */
export const handOverActivationCode = async (
  deps: TokenHandlerDeps,
  recipient: CodeRecipient,
  issued: IssuedActivationCode,
  owner: Pick<ActivationCodeMessage, 'companyId' | 'userId' | 'serial' | 'reason'>,
): Promise<E.Either<SdkError, ActivationOutput>> => {
  const { issue, code } = issued;
  const expiresAt = new Date(issue.expiresAtMs).toISOString();
  const withoutCode = { activationCodeExpiresAt: expiresAt, otpParameters: issue.parameters };
  if (recipient._tag === 'actor-is-owner') return E.right({ activationCode: code, codeDelivery: 'in-output', ...withoutCode });
  const message: ActivationCodeMessage = { ...owner, activationCode: code, expiresAt, otpParameters: issue.parameters };
  const delivered = await run(fromHostPort('the activation code delivery', () => recipient.delivery.deliver(message)));
  if (E.isLeft(delivered)) {
    await run(fromHostPort('the secret vault', () => deps.vault.destroy(issue.ref)));
    return delivered;
  }
  return E.right({ codeDelivery: 'sent-to-owner', ...withoutCode });
};

// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** The name the token table shows: the directory's display name, cleaned and bounded, else the user id. */
export const displayNameOf = (user: DirectoryUser): string => {
  const cleaned = user.displayName.replace(CONTROL, ' ').trim().slice(0, 256);
  return cleaned === '' ? user.userId : cleaned;
};
