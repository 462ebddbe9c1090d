import * as t from 'io-ts';
import { defineEvents, type EventsOf } from '../../events/define-events.js';
import { boundedString, intBetween, IsoTimestamp } from '../../events/codecs.js';
import type { JsonObject } from '../../events/envelope.js';
import { DecimalString, OtpParametersCodec } from './codecs.js';

const Id = boundedString(128);
const Ref = boundedString(256);
const Count = intBetween(0, 1_000_000);
const Drift = intBetween(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
/** Vault references this event retires: the shredder destroys them once the event is committed. */
const Destroyed = t.readonlyArray(Ref);

/** A version 1 payload without the display name it carried. */
const withoutUserName = ({ userName: _dropped, ...data }: JsonObject): JsonObject => data;
/** A lost token's temporary access as events record it: a salt and one PBKDF2 digest (hex) per one-time code. */
const TemporaryAccessCodec = t.readonly(
  t.type({
    kind: t.keyof({ 'recovery-codes': null, 'emergency-code': null }),
    salt: boundedString(64),
    digests: t.readonlyArray(boundedString(64)),
    expiresAt: IsoTimestamp,
  }),
);
/** A P-256 public key, 65 bytes uncompressed, in unpadded base64url (87 characters). */
const PublicKeyText = boundedString(128);

/** The longest human summary a confirmation challenge shows on the phone. */
export const SUMMARY_LENGTH = 200;

/** Why an app signature was refused. */
export const ConfirmationRefusalCodec = t.keyof({
  /** The signature does not verify under the token's key. */
  'bad-signature': null,
  /** No challenge of this id was issued to the token (or it was forgotten). */
  'unknown-challenge': null,
  /** The challenge was already used or rejected: a replay. */
  replay: null,
  /** The challenge was issued for another command. */
  'other-command': null,
  expired: null,
  /** Not a `{ challengeId, signature }` of the right sizes. */
  malformed: null,
});

/** One of the reasons of {@link ConfirmationRefusalCodec}. */
export type ConfirmationRefusal = t.TypeOf<typeof ConfirmationRefusalCodec>;

/** How the owner proved themselves when their app was bound to the token. */
export const EnrollmentMethodCodec = t.keyof({ 'activation-code': null, credentials: null, 'credentials+physical-token': null });

/** One of `activation-code`, `credentials`, `credentials+physical-token`. */
export type EnrollmentMethod = t.TypeOf<typeof EnrollmentMethodCodec>;

/**
 * The payload codecs of the token stream's events, by event type (schema version 1). No payload
 * carries a secret: seeds and activation codes are referenced (`seedRef`, `activationCodeRef`)
 * and live only in the SecretVault.
 */
export const tokenEvents = defineEvents({
  /** A soft token was requested for a user (by id: the name is the Directory's, read at view time): `pending`. */
  TokenRequested: t.readonly(t.type({ serial: Id, companyId: Id, userId: Id })),
  /** The assignment was confirmed (by an admin's OTP, or at once under policy `none`): `assigned`. */
  TokenAssignmentConfirmed: t.readonly(
    t.type({
      activationCodeRef: Ref,
      activationCodeExpiresAt: IsoTimestamp,
      parameters: OtpParametersCodec,
      confirmation: t.keyof({ 'admin-otp': null, none: null }),
    }),
  ),
  /** A new activation code replaced the previous one, which is destroyed. */
  ActivationCodeReissued: t.readonly(
    t.type({ activationCodeRef: Ref, activationCodeExpiresAt: IsoTimestamp, parameters: OtpParametersCodec, destroyedSecretRefs: Destroyed }),
  ),
  /** A registration code did not match; at zero attempts left the activation code is void and destroyed. */
  RegistrationCodeRejected: t.readonly(t.type({ failures: Count, attemptsLeft: Count, destroyedSecretRefs: Destroyed })),
  /** The owner's app proved it derived the seed, now in the vault under `seedRef`; the activation code is destroyed: `pending-activation`. */
  DeviceEnrolled: t.readonly(
    t.intersection([
      t.type({ method: EnrollmentMethodCodec, seedRef: Ref, destroyedSecretRefs: Destroyed }),
      // Protocol v2: the app's public signing key, the server's ephemeral public key and the key
      // confirmation (an HMAC the app checks), all public and base64url, so a replay answers the same.
      t.partial({ signingKey: PublicKeyText, serverKey: PublicKeyText, keyConfirmation: PublicKeyText }),
    ]),
  ),
  /** The owner answered the security question wrongly. */
  SecurityAnswerRejected: t.readonly(t.type({ failures: Count })),
  /** The token can now confirm operations: `active`. */
  TokenActivated: t.readonly(t.type({ method: t.keyof({ admin: null, 'security-question': null }) })),
  /** The bank imported a hardware OATH token: a physical token, `active`. */
  PhysicalTokenImported: t.readonly(
    t.type({ serial: Id, companyId: Id, userId: Id, seedRef: Ref, parameters: OtpParametersCodec }),
  ),
  /**
   * The bank imported a hardware OATH token into its company's pool (ImportPhysicalTokens): a
   * physical token owned by nobody, `unassigned`. `counter` is an HOTP token's next counter.
   */
  PhysicalTokenPooled: t.readonly(t.type({ serial: Id, companyId: Id, seedRef: Ref, parameters: OtpParametersCodec, counter: DecimalString })),
  /** A pooled physical token was given to a user of its company: `active`, the user's factor. */
  PhysicalTokenAssigned: t.readonly(t.type({ userId: Id })),
  /** The user's soft token was activated, which retires this physical token and destroys its seed: `disabled`. */
  PhysicalTokenDisabled: t.readonly(t.type({ replacedBy: Id, destroyedSecretRefs: Destroyed })),
  /** The token was deleted: `deleted`; its secrets are destroyed (crypto-shredding) and its slot released. */
  TokenDeleted: t.readonly(t.type({ destroyedSecretRefs: Destroyed })),
  /** A code was accepted: its TOTP step or HOTP counter is now the last accepted one. */
  OtpAccepted: t.readonly(t.type({ step: DecimalString, drift: Drift, command: Id })),
  /** A code was refused; `failures` counts consecutive refusals. */
  OtpRejected: t.readonly(t.type({ reason: t.keyof({ mismatch: null, replay: null, malformed: null }), failures: Count, command: Id })),
  /** Too many consecutive failures: the token refuses to act until unlocked (or `unlocksAt`). */
  TokenLocked: t.readonly(
    t.type({
      reason: t.keyof({ 'otp-failures': null, 'security-answer-failures': null }),
      failures: Count,
      unlocksAt: t.union([t.null, IsoTimestamp]),
    }),
  ),
  /** The locked flag was cleared, by an admin, a bank operator, or the policy's timer. */
  TokenUnlocked: t.readonly(t.type({ by: t.keyof({ admin: null, bank: null, timer: null }) })),
  /** A confirmation challenge was issued to the token's app for one command (its digest), until `expiresAt`. */
  ConfirmationRequested: t.readonly(
    t.type({ challengeId: Id, challenge: Id, digest: Id, command: Id, summary: boundedString(SUMMARY_LENGTH), expiresAt: IsoTimestamp }),
  ),
  /** The app's signature confirmed the command the challenge was issued for: the challenge is used. */
  ConfirmationAccepted: t.readonly(t.type({ challengeId: Id, command: Id })),
  /** The user rejected the challenge on the phone (signed by the app): the challenge is void. */
  ConfirmationRejected: t.readonly(t.type({ challengeId: Id, command: Id })),
  /** An app signature was refused; counted with wrong codes in `failures`. */
  ConfirmationRefused: t.readonly(t.type({ reason: ConfirmationRefusalCodec, failures: Count, command: Id })),
  /** Two consecutive codes moved the token's expected position. */
  TokenResynced: t.readonly(t.type({ step: DecimalString, drift: Drift })),
  /** An admin or the bank put an active token on hold: `suspended` (seed and quota slot kept); a pending reactivation code is destroyed. */
  TokenSuspended: t.readonly(t.type({ by: t.keyof({ admin: null, bank: null }), destroyedSecretRefs: Destroyed })),
  /** A suspended token confirms again: `active` (the locked flag is left as it was). */
  TokenResumed: t.readonly(t.type({ by: t.keyof({ admin: null, bank: null }) })),
  /**
   * The token was reported lost: `lost`; a pending reactivation code is destroyed. `temporaryAccess`:
   * the salted slow digests of the one-time codes sent to the owner (never the codes), or null.
   */
  TokenReportedLost: t.readonly(
    t.type({
      by: t.keyof({ owner: null, admin: null, bank: null }),
      destroyedSecretRefs: Destroyed,
      temporaryAccess: t.union([t.null, TemporaryAccessCodec]),
    }),
  ),
  /** One of a lost token's one-time codes confirmed a command (like `OtpAccepted`): that code is spent. */
  RecoveryCodeUsed: t.readonly(t.type({ index: intBetween(0, 99), command: Id })),
  /** A new activation code for an active or lost token: the phone that enrols with it replaces the current one. */
  ReactivationStarted: t.readonly(
    t.type({ activationCodeRef: Ref, activationCodeExpiresAt: IsoTimestamp, parameters: OtpParametersCodec, destroyedSecretRefs: Destroyed }),
  ),
  /**
   * A new phone enrolled with the reactivation code: `active` with the new seed; the old seed, the
   * activation code and any temporary access are destroyed in this commit.
   */
  DeviceReplaced: t.readonly(t.type({ method: EnrollmentMethodCodec, seedRef: Ref, destroyedSecretRefs: Destroyed })),
}, {
  // Version 2 keeps personal data out of the immutable log: no `userName`. Version 1 events
  // (0.1 logs) still decode; their name is dropped on reading and never shown.
  schemaVersion: { TokenRequested: 2, PhysicalTokenImported: 2 },
  upcasters: { TokenRequested: { 1: withoutUserName }, PhysicalTokenImported: { 1: withoutUserName } },
});

/** The payload codec of each token event type. */
export const tokenEventCodecs = tokenEvents.codecs;

/** The type of {@link tokenEventCodecs}. */
export type TokenEventCodecs = typeof tokenEventCodecs;

/** The token stream's event type names. */
export type TokenEventType = keyof TokenEventCodecs;

/** The payload of a token event type. */
export type TokenEventData<Type extends TokenEventType> = t.TypeOf<TokenEventCodecs[Type]>;

/** An event of a token stream: its type and its payload. */
export type TokenEvent = EventsOf<TokenEventCodecs>;

/** Builds a token event with its payload type checked against its type name. */
export const tokenEvent = <Type extends TokenEventType>(type: Type, data: TokenEventData<Type>): TokenEvent =>
  ({ type, data }) as TokenEvent;

/** The stream of one token. */
export const tokenStreamId = (serial: string): string => `token-${serial}`;

/** A stored payload as a token event, when its type is a token event's and its data passes the codec. */
export const decodeTokenEvent = tokenEvents.decode;
