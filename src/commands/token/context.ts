import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { formatActivationCode, generateActivationCode } from '../../activation/activation-code.js';
import { normalizeSerial } from '../../activation/serial-input.js';
import type { HandlerContext } from '../command-handler.js';
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
import { forbidden, invalidCommand, notFound, type SdkError } from '../../errors/sdk-error.js';
import type { Actor } from '../../events/envelope.js';
import type { OtpEngine, OtpParameters } from '../../otp/engine.js';
import type { Directory, DirectoryUser } from '../../ports/directory.js';
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
 * company. Bank operators have no directory entry (`undefined`); the system actor may not issue
 * lifecycle commands.
 */
export const actingUser = async (directory: Directory, actor: Actor): Promise<E.Either<SdkError, DirectoryUser | undefined>> => {
  if (actor.kind === 'bank') return E.right(undefined);
  if (actor.kind === 'system') return E.left(forbidden('the system actor cannot issue soft-token commands'));
  const user = await run(fromHostPort('the directory', () => directory.getUser(actor.companyId, actor.userId)));
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

/** What a command that issues an activation code returns, once. */
export interface ActivationOutput {
  /** The code to show the user, in groups of four. Absent when the command is replayed. */
  readonly activationCode?: string;
  readonly activationCodeExpiresAt: string;
  /** What the app must be told to produce codes (also given to `activateDevice`). */
  readonly otpParameters: OtpParameters;
}

/** What ConfirmTokenAssignment and ReissueActivationCode return: the activation code, once. */
export interface ActivationCodeOutput {
  readonly serial: string;
  readonly status: 'assigned';
  readonly activation: ActivationOutput;
}

/** A fresh activation code, stored in the vault under a new reference; only its reference and expiry go into events. */
export const issueActivationCode = async (
  vault: SecretVault,
  context: HandlerContext,
  policy: CompanyPolicy,
): Promise<E.Either<SdkError, { readonly issue: ActivationCodeIssue; readonly output: ActivationOutput }>> => {
  const code = generateActivationCode(context.random);
  const ref = newSecretRef(context.random, 'activation-code');
  const stored = await run(fromHostPort('the secret vault', () => vault.put(ref, utf8ToBytes(code))));
  if (E.isLeft(stored)) return stored;
  const expiresAtMs = context.now + policy.activationCodeTtlSeconds * 1000;
  return E.right({
    issue: { ref, expiresAtMs, parameters: policy.otp },
    output: { activationCode: formatActivationCode(code), activationCodeExpiresAt: new Date(expiresAtMs).toISOString(), otpParameters: policy.otp },
  });
};

// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** The name the token table shows: the directory's display name, cleaned and bounded, else the user id. */
export const displayNameOf = (user: DirectoryUser): string => {
  const cleaned = user.displayName.replace(CONTROL, ' ').trim().slice(0, 256);
  return cleaned === '' ? user.userId : cleaned;
};
