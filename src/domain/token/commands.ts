import * as t from 'io-ts';
import { commandCodec as command } from '../../events/command-envelope.js';
import { boundedString, EntityIdCodec } from '../../events/codecs.js';
import { otpParametersProps } from './codecs.js';

const Id = EntityIdCodec;
const SerialText = boundedString(128);
/** What a person typed: bounded, and validated by the handler without echoing it. */
const Typed = t.string;

/** `RequestTokenAssignment`: for `userId` (default: the actor) of the actor's company. */
export const RequestTokenAssignmentCodec = command('RequestTokenAssignment', {}, { userId: Id });
/** `ConfirmTokenAssignment`: a company admin, with an OTP when enrolled. */
export const ConfirmTokenAssignmentCodec = command('ConfirmTokenAssignment', { serial: SerialText }, { otp: t.unknown, confirmation: t.unknown });
/** `ReissueActivationCode`: a new activation code; the old one stops working. */
export const ReissueActivationCodeCodec = command('ReissueActivationCode', { serial: SerialText }, { otp: t.unknown, confirmation: t.unknown });
/** `EnrollDevice`: the owner types the registration code their app showed. */
export const EnrollDeviceCodec = command(
  'EnrollDevice',
  { serial: SerialText, registrationCode: Typed },
  { method: t.keyof({ 'activation-code': null, credentials: null, 'credentials+physical-token': null }), otp: t.unknown },
);
/** `ActivateToken`: an admin with an OTP, or the owner with the security answer, per policy. */
export const ActivateTokenCodec = command('ActivateToken', { serial: SerialText }, { otp: t.unknown, confirmation: t.unknown, securityAnswer: Typed });
/** `DeleteToken`: an admin, the owner or the bank; the OTP rule applies to users. */
export const DeleteTokenCodec = command('DeleteToken', { serial: SerialText }, { otp: t.unknown, confirmation: t.unknown });
/** `ImportPhysicalToken`: bank side; the seed in Base32. */
export const ImportPhysicalTokenCodec = command(
  'ImportPhysicalToken',
  { companyId: Id, userId: Id, serial: SerialText, seed: Typed },
  { parameters: t.exact(t.partial(otpParametersProps)), legacyShortSeed: t.boolean },
);
/**
 * `ImportPhysicalTokens`: bank side; a whole PSKC (RFC 6030) or OATH CSV file into the company's
 * pool. `preSharedKey` (hex) or `password` opens an encrypted PSKC file.
 */
export const ImportPhysicalTokensCodec = command(
  'ImportPhysicalTokens',
  { companyId: Id, format: t.keyof({ pskc: null, 'oath-csv': null }), file: Typed },
  { preSharedKey: Typed, password: Typed, legacyShortSeeds: t.boolean },
);
/** `AssignPhysicalToken`: a company admin (OTP rule) or the bank gives a pooled token to a user. */
export const AssignPhysicalTokenCodec = command('AssignPhysicalToken', { serial: SerialText, userId: Id }, { otp: t.unknown });
/** `VerifyOtp`: a host's step-up check of the actor's own token. */
export const VerifyOtpCodec = command('VerifyOtp', {}, { otp: t.unknown });
/** `UnlockToken`: an admin (OTP rule) or the bank. */
export const UnlockTokenCodec = command('UnlockToken', { serial: SerialText }, { otp: t.unknown, confirmation: t.unknown });
/** `ResyncToken`: two consecutive codes from the token; an admin adds their own OTP when enrolled. */
export const ResyncTokenCodec = command('ResyncToken', { serial: SerialText, codes: t.tuple([t.unknown, t.unknown]) }, { otp: t.unknown });

/** `ClearSecurityQuestionLock`: a company admin (OTP rule) or the bank forgets a user's wrong security answers. */
export const ClearSecurityQuestionLockCodec = command('ClearSecurityQuestionLock', { companyId: Id, userId: Id }, { otp: t.unknown, confirmation: t.unknown });

/** `SuspendToken`: a company admin (OTP rule) or the bank puts an active token on hold. */
export const SuspendTokenCodec = command('SuspendToken', { serial: SerialText }, { otp: t.unknown });
/** `ResumeToken`: a company admin (OTP rule) or the bank lets a suspended token confirm again. */
export const ResumeTokenCodec = command('ResumeToken', { serial: SerialText }, { otp: t.unknown });
/** What temporary access a loss report asks for: none (the default), one-time recovery codes, or one emergency code. */
export const TemporaryAccessRequestCodec = t.keyof({ none: null, 'recovery-codes': null, 'emergency-code': null });
/** `ReportTokenLost`: the owner (no code: the phone is gone), a company admin (OTP rule) or the bank. */
export const ReportTokenLostCodec = command('ReportTokenLost', { serial: SerialText }, { otp: t.unknown, temporaryAccess: TemporaryAccessRequestCodec });
/** `ReactivateToken`: a new phone for the same token; who may start it is the company's `reactivationBy`. */
export const ReactivateTokenCodec = command('ReactivateToken', { serial: SerialText }, { otp: t.unknown });

/** The decoded command. */
export type SuspendTokenCommand = t.TypeOf<typeof SuspendTokenCodec>;
/** The decoded command. */
export type ResumeTokenCommand = t.TypeOf<typeof ResumeTokenCodec>;
/** The decoded command. */
export type ReportTokenLostCommand = t.TypeOf<typeof ReportTokenLostCodec>;
/** The decoded command. */
export type ReactivateTokenCommand = t.TypeOf<typeof ReactivateTokenCodec>;
/** The decoded command. */
export type RequestTokenAssignmentCommand = t.TypeOf<typeof RequestTokenAssignmentCodec>;
/** The decoded command. */
export type ConfirmTokenAssignmentCommand = t.TypeOf<typeof ConfirmTokenAssignmentCodec>;
/** The decoded command. */
export type ReissueActivationCodeCommand = t.TypeOf<typeof ReissueActivationCodeCodec>;
/** The decoded command. */
export type EnrollDeviceCommand = t.TypeOf<typeof EnrollDeviceCodec>;
/** The decoded command. */
export type ActivateTokenCommand = t.TypeOf<typeof ActivateTokenCodec>;
/** The decoded command. */
export type DeleteTokenCommand = t.TypeOf<typeof DeleteTokenCodec>;
/** The decoded command. */
export type ImportPhysicalTokenCommand = t.TypeOf<typeof ImportPhysicalTokenCodec>;
/** The decoded command. */
export type ImportPhysicalTokensCommand = t.TypeOf<typeof ImportPhysicalTokensCodec>;
/** The decoded command. */
export type AssignPhysicalTokenCommand = t.TypeOf<typeof AssignPhysicalTokenCodec>;
/** The decoded command. */
export type VerifyOtpCommand = t.TypeOf<typeof VerifyOtpCodec>;
/** The decoded command. */
export type UnlockTokenCommand = t.TypeOf<typeof UnlockTokenCodec>;
/** The decoded command. */
export type ClearSecurityQuestionLockCommand = t.TypeOf<typeof ClearSecurityQuestionLockCodec>;
/** The decoded command. */
export type ResyncTokenCommand = t.TypeOf<typeof ResyncTokenCodec>;

/** Command fields whose values are never echoed in an error. */
export const tokenSecretFields = ['otp', 'codes', 'securityAnswer', 'seed', 'registrationCode', 'file', 'preSharedKey', 'password'] as const;
