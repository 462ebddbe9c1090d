import { defaultOtpParameters, type OtpParameters } from '../../otp/engine.js';
import type { EnrollmentMethod, TokenEvent } from './events.js';
import type { TokenKind, TokenStatus } from './status.js';
import type { TemporaryAccess } from './recovery-codes.js';
import { rememberTimedUnlock } from './timed-unlock.js';

/** The activation code a token is waiting for, by reference. */
export interface PendingActivationCode {
  readonly ref: string;
  readonly expiresAtMs: number;
  /** Wrong registration codes so far. */
  readonly failures: number;
  /** True once the attempts are used up: only a reissued code works. */
  readonly void: boolean;
}

/** A confirmation challenge the token's app was sent, and what became of it. */
export interface IssuedChallenge {
  readonly challengeId: string;
  readonly challenge: string;
  readonly digest: string;
  readonly command: string;
  readonly expiresAtMs: number;
  readonly status: 'pending' | 'used' | 'rejected';
}

/** The latest challenges a token remembers: an older one reads as unknown (and it has expired long before). */
export const REMEMBERED_CHALLENGES = 32;

/** A token that exists: its lifecycle, its OTP state, and the references to its secrets. */
export interface Token {
  readonly status: TokenStatus;
  readonly serial: string;
  readonly companyId: string;
  readonly userId: string;
  readonly kind: TokenKind;
  readonly parameters: OtpParameters;
  /** Where the seed is in the vault, once the device enrolled (soft) or the bank imported it (physical). */
  readonly seedRef?: string;
  /** While `assigned`; on an `active` or `lost` token, a pending reactivation (a new phone's code). */
  readonly activationCode?: PendingActivationCode;
  /** While `lost`, if granted: the one-time codes that confirm in the token's stead. */
  readonly temporaryAccess?: TemporaryAccess;
  readonly enrollmentMethod?: EnrollmentMethod;
  readonly locked: boolean;
  /** When a timed unlock reopens a locked token (policy `timedUnlockSeconds`). */
  readonly unlocksAtMs?: number;
  /** When the latest timed locks lifted (or lift): a timed unlock is capped per day (see `timed-unlock.ts`). */
  readonly timedUnlocksMs?: readonly number[];
  /** Consecutive OTP failures. */
  readonly failures: number;
  /** The last accepted TOTP step or HOTP counter: a code at or before it is a replay. */
  readonly lastAccepted?: bigint;
  /** TOTP: the token's clock offset in steps, as the last match or resync observed it. */
  readonly drift?: number;
  readonly securityAnswerFailures: number;
  /** Protocol v2: the app's public signing key (base64url); confirmations by app signature need it. */
  readonly signingKey?: string;
  /** The latest confirmation challenges, oldest first. */
  readonly challenges?: readonly IssuedChallenge[];
}

/** A token stream's state: `none` before its first event. */
export type TokenState = { readonly status: 'none' } | Token;

/** The state of a token stream that does not exist. */
export const initialTokenState: TokenState = { status: 'none' };

/** True when the token exists. */
export const tokenExists = (state: TokenState): state is Token => state.status !== 'none';

/** Locked and, if the policy set a timer, the timer has not run out at `nowMs`. */
export const isLockedAt = (token: Token, nowMs: number): boolean =>
  token.locked && (token.unlocksAtMs === undefined || nowMs < token.unlocksAtMs);

const newToken = (fields: Pick<Token, 'serial' | 'companyId' | 'userId' | 'kind' | 'status' | 'parameters'>): Token => ({
  ...fields,
  locked: false,
  failures: 0,
  securityAnswerFailures: 0,
});

/** A pooled token has no owner yet: its user id and name are empty until it is assigned. */
const pooledToken = (data: Extract<TokenEvent, { readonly type: 'PhysicalTokenPooled' }>['data']): Token => {
  const token = { ...newToken({ serial: data.serial, companyId: data.companyId, userId: '', kind: 'physical', status: 'unassigned', parameters: data.parameters }), seedRef: data.seedRef };
  // The file gives an HOTP token's next counter: the one before it counts as already used.
  const next = BigInt(data.counter);
  return next > 0n ? { ...token, lastAccepted: next - 1n } : token;
};

type OptionalKey = 'activationCode' | 'seedRef' | 'unlocksAtMs' | 'temporaryAccess' | 'lastAccepted' | 'drift' | 'signingKey';

const pendingCode = (data: { readonly activationCodeRef: string; readonly activationCodeExpiresAt: string }): PendingActivationCode => ({
  ref: data.activationCodeRef,
  expiresAtMs: Date.parse(data.activationCodeExpiresAt),
  failures: 0,
  void: false,
});

const settleChallenge = (token: Token, challengeId: string, status: IssuedChallenge['status']): Token => ({
  ...token,
  challenges: (token.challenges ?? []).map((issued) => (issued.challengeId === challengeId ? { ...issued, status } : issued)),
});

const withoutKeys = (token: Token, keys: readonly OptionalKey[]): Token =>
  Object.fromEntries(Object.entries(token).filter(([key]) => !(keys as readonly string[]).includes(key))) as unknown as Token;

/** Folds one token event into the state. Events that make no sense for the state are ignored. */
export const evolveToken = (state: TokenState, event: TokenEvent): TokenState => {
  if (event.type === 'TokenRequested') {
    return newToken({ ...event.data, kind: 'soft', status: 'pending', parameters: defaultOtpParameters });
  }
  if (event.type === 'PhysicalTokenImported') {
    const { seedRef, ...rest } = event.data;
    return { ...newToken({ ...rest, kind: 'physical', status: 'active' }), seedRef };
  }
  if (event.type === 'PhysicalTokenPooled') return pooledToken(event.data);
  if (!tokenExists(state)) return state;
  switch (event.type) {
    case 'TokenAssignmentConfirmed':
      return {
        ...state,
        status: 'assigned',
        parameters: event.data.parameters,
        activationCode: pendingCode(event.data),
      };
    case 'ActivationCodeReissued':
    case 'ReactivationStarted':
      return { ...state, activationCode: pendingCode(event.data) };
    case 'RegistrationCodeRejected':
      return state.activationCode === undefined
        ? state
        : { ...state, activationCode: { ...state.activationCode, failures: event.data.failures, void: event.data.attemptsLeft === 0 } };
    case 'DeviceEnrolled':
      return {
        ...withoutKeys(state, ['activationCode', 'signingKey']),
        status: 'pending-activation',
        seedRef: event.data.seedRef,
        enrollmentMethod: event.data.method,
        ...(event.data.signingKey === undefined ? {} : { signingKey: event.data.signingKey }),
      };
    case 'ConfirmationRequested': {
      const { challengeId, challenge, digest, command, expiresAt } = event.data;
      const issued: IssuedChallenge = { challengeId, challenge, digest, command, expiresAtMs: Date.parse(expiresAt), status: 'pending' };
      return { ...state, challenges: [...(state.challenges ?? []), issued].slice(-REMEMBERED_CHALLENGES) };
    }
    case 'ConfirmationAccepted':
      return { ...settleChallenge(state, event.data.challengeId, 'used'), failures: 0 };
    case 'ConfirmationRejected':
      return settleChallenge(state, event.data.challengeId, 'rejected');
    case 'ConfirmationRefused':
      return { ...state, failures: event.data.failures };
    case 'SecurityAnswerRejected':
      return { ...state, securityAnswerFailures: event.data.failures };
    case 'TokenActivated':
      return { ...state, status: 'active', securityAnswerFailures: 0 };
    case 'PhysicalTokenAssigned':
      return { ...state, status: 'active', userId: event.data.userId };
    case 'PhysicalTokenDisabled':
      return { ...withoutKeys(state, ['activationCode', 'seedRef', 'unlocksAtMs', 'temporaryAccess']), status: 'disabled', locked: false };
    case 'TokenDeleted':
      return { ...withoutKeys(state, ['activationCode', 'seedRef', 'unlocksAtMs', 'temporaryAccess']), status: 'deleted', locked: false };
    case 'TokenSuspended':
      return { ...withoutKeys(state, ['activationCode']), status: 'suspended' };
    case 'TokenResumed':
      return { ...state, status: 'active' };
    case 'TokenReportedLost': {
      const access = event.data.temporaryAccess;
      const rest = withoutKeys(state, ['activationCode', 'temporaryAccess']);
      return access === null
        ? { ...rest, status: 'lost' }
        : { ...rest, status: 'lost', temporaryAccess: { kind: access.kind, salt: access.salt, digests: access.digests, used: [], expiresAtMs: Date.parse(access.expiresAt) } };
    }
    case 'RecoveryCodeUsed':
      return state.temporaryAccess === undefined
        ? state
        : { ...state, failures: 0, temporaryAccess: { ...state.temporaryAccess, used: [...state.temporaryAccess.used, event.data.index] } };
    case 'DeviceReplaced':
      // A new seed: the old one's counter, drift and failures mean nothing for it.
      return {
        ...withoutKeys(state, ['activationCode', 'temporaryAccess', 'lastAccepted', 'drift']),
        status: 'active',
        seedRef: event.data.seedRef,
        enrollmentMethod: event.data.method,
        failures: 0,
      };
    case 'OtpAccepted':
    case 'TokenResynced':
      return { ...state, lastAccepted: BigInt(event.data.step), drift: event.data.drift, failures: 0 };
    case 'OtpRejected':
      return { ...state, failures: event.data.failures };
    case 'TokenLocked': {
      if (event.data.unlocksAt === null) return { ...withoutKeys(state, ['unlocksAtMs']), locked: true };
      const unlocksAtMs = Date.parse(event.data.unlocksAt);
      return { ...state, locked: true, unlocksAtMs, timedUnlocksMs: rememberTimedUnlock(state, unlocksAtMs) };
    }
    case 'TokenUnlocked':
      return { ...withoutKeys(state, ['unlocksAtMs']), locked: false, failures: 0, securityAnswerFailures: 0 };
  }
};
