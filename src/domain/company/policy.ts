import * as t from 'io-ts';
import { defaultOtpParameters } from '../../otp/engine.js';
import { intBetween } from '../../events/codecs.js';
import { OtpParametersCodec, otpParametersProps, withoutUndefined } from '../token/codecs.js';

/** Seconds in an hour, for reading the defaults. */
const HOUR = 3600;

/**
 * The sensitive actions a company may refuse to users with no active token (`requireEnrolment`):
 * the order approvals and the token admin actions that fall under the OTP rule.
 */
export const EnrolmentActionCodec = t.keyof(
  {
    ApproveOrders: null,
    RevokeOrders: null,
    DeleteOrder: null,
    ConfirmTokenAssignment: null,
    DeleteToken: null,
    UnlockToken: null,
    ReissueActivationCode: null,
  },
  'EnrolmentAction',
);

/** An action a company may require enrolment for. */
export type EnrolmentAction = t.TypeOf<typeof EnrolmentActionCodec>;

const EnrolmentActionsCodec = t.readonlyArray(EnrolmentActionCodec, 'EnrolmentActions');

// Companies configured before the option existed recorded no list: they keep the normal flow.
const StoredEnrolmentActionsCodec = new t.Type<readonly EnrolmentAction[], readonly EnrolmentAction[], unknown>(
  'EnrolmentActions',
  EnrolmentActionsCodec.is,
  (input, context) => (input === undefined ? t.success([]) : EnrolmentActionsCodec.validate(input, context)),
  t.identity,
);

// A setting added after companies were first configured: their recorded policy lacks it and keeps the default.
const withDefault = <A>(codec: t.Type<A, A>, fallback: A): t.Type<A, A> =>
  new t.Type<A, A, unknown>(codec.name, codec.is, (input, context) => (input === undefined ? t.success(fallback) : codec.validate(input, context)), t.identity);

/** Who may start a reactivation (a new phone for the same token). */
export const ReactivationRolesCodec = t.readonlyArray(t.keyof({ owner: null, admin: null, bank: null }), 'ReactivationRoles');

/** The defaults of the token-life settings (reactivation, temporary access). */
export const tokenLifeDefaults = {
  reactivationBy: ['owner', 'admin', 'bank'] as const,
  recoveryCodeCount: 5,
  recoveryCodeTtlSeconds: 7 * 24 * HOUR,
  emergencyCodeTtlSeconds: 24 * HOUR,
};
/** How a sensitive action may be confirmed: a typed code, an app signature, or either. */
export const ConfirmationFactorCodec = t.keyof({ code: null, app: null, either: null }, 'ConfirmationFactor');

/** One of `code`, `app`, `either`. */
export type ConfirmationFactor = t.TypeOf<typeof ConfirmationFactorCodec>;

/** The actions an app signature may confirm, each with the factors it accepts. */
const ConfirmationFactorsCodec = t.readonly(
  t.exact(
    t.partial({
      ConfirmTokenAssignment: ConfirmationFactorCodec,
      ReissueActivationCode: ConfirmationFactorCodec,
      ActivateToken: ConfirmationFactorCodec,
      DeleteToken: ConfirmationFactorCodec,
      UnlockToken: ConfirmationFactorCodec,
      ClearSecurityQuestionLock: ConfirmationFactorCodec,
    }),
  ),
  'ConfirmationFactors',
);

/** The factors each app-confirmable action accepts; an action left out accepts either. */
export type ConfirmationFactors = t.TypeOf<typeof ConfirmationFactorsCodec>;

/** The commands an app signature may confirm (those whose command carries `confirmation`). */
export const appConfirmableCommands: readonly (keyof ConfirmationFactors)[] = [
  'ConfirmTokenAssignment',
  'ReissueActivationCode',
  'ActivateToken',
  'DeleteToken',
  'UnlockToken',
  'ClearSecurityQuestionLock',
];

// Companies configured before the option existed recorded none: every action takes either factor.
const StoredConfirmationFactorsCodec = new t.Type<ConfirmationFactors, ConfirmationFactors, unknown>(
  'ConfirmationFactors',
  ConfirmationFactorsCodec.is,
  (input, context) => (input === undefined ? t.success({}) : ConfirmationFactorsCodec.validate(input, context)),
  t.identity,
);

/** A company's soft-token policy, as held in its stream. */
export const CompanyPolicyCodec = t.readonly(
  t.type({
    /** `admin-otp`: a company admin confirms every assignment with an OTP; `none`: assigned at once. */
    assignmentConfirmation: t.keyof({ 'admin-otp': null, none: null }),
    /** `admin`: a company admin activates (OTP rule); `security-question`: the user answers it. */
    activation: t.keyof({ admin: null, 'security-question': null }),
    /** OATH parameters of the soft tokens issued from now on. */
    otp: OtpParametersCodec,
    /** Consecutive OTP failures that lock a token. */
    maxFailures: intBetween(1, 100),
    /** Seconds after which a locked token unlocks by itself; null: only an unlock command reopens it. */
    timedUnlockSeconds: t.union([t.null, intBetween(60, 30 * 24 * HOUR)]),
    /** Orders: an uploader may not approve their own order. */
    makerChecker: t.boolean,
    /** How long an activation code stays usable. */
    activationCodeTtlSeconds: intBetween(60, 30 * 24 * HOUR),
    /** Wrong registration codes (and security answers) accepted before the code is void. */
    registrationAttempts: intBetween(1, 20),
    /**
     * Actions refused (`PreconditionFailed`, precondition `enrolled`) to a user with no active
     * token; empty (the default) keeps the manual's normal flow, where such a user acts without a code.
     */
    requireEnrolment: StoredEnrolmentActionsCodec,
    /** Who may start ReactivateToken: the owner (confirming with a code of the old phone), a company admin (with their own), the bank. */
    reactivationBy: withDefault(ReactivationRolesCodec, tokenLifeDefaults.reactivationBy),
    /** How many one-time recovery codes ReportTokenLost sends when asked for `recovery-codes`. */
    recoveryCodeCount: withDefault(intBetween(1, 20), tokenLifeDefaults.recoveryCodeCount),
    /** How long recovery codes work. */
    recoveryCodeTtlSeconds: withDefault(intBetween(3600, 90 * 24 * HOUR), tokenLifeDefaults.recoveryCodeTtlSeconds),
    /** How long an emergency code (one one-time code) works. */
    emergencyCodeTtlSeconds: withDefault(intBetween(600, 7 * 24 * HOUR), tokenLifeDefaults.emergencyCodeTtlSeconds),
    /**
     * The factors each action (a command type) accepts: `code` (typed), `app` (a signature of the
     * token's app, protocol v2), `either`. An action not listed takes either factor; an app
     * signature always needs a token activated with protocol v2.
     */
    confirmationFactors: StoredConfirmationFactorsCodec,
  }),
);

/** A company's soft-token policy. */
export type CompanyPolicy = t.TypeOf<typeof CompanyPolicyCodec>;

/** The policy of a company configured without one. */
export const defaultCompanyPolicy: CompanyPolicy = {
  assignmentConfirmation: 'admin-otp',
  activation: 'admin',
  otp: defaultOtpParameters,
  maxFailures: 10,
  timedUnlockSeconds: null,
  makerChecker: true,
  activationCodeTtlSeconds: 72 * HOUR,
  registrationAttempts: 5,
  requireEnrolment: [],
  ...tokenLifeDefaults,
  confirmationFactors: {},
};

/** The largest soft-token quota a company may have. */
export const MAX_QUOTA = 100_000;

/** A quota as ConfigureCompany accepts it. */
export const QuotaCodec = intBetween(0, MAX_QUOTA);

/** The policy settings ConfigureCompany may change; omitted ones keep their current value. */
export const CompanyPolicyPatchCodec = t.exact(
  t.partial({
    assignmentConfirmation: CompanyPolicyCodec.type.props.assignmentConfirmation,
    activation: CompanyPolicyCodec.type.props.activation,
    otp: t.exact(t.partial(otpParametersProps)),
    maxFailures: CompanyPolicyCodec.type.props.maxFailures,
    timedUnlockSeconds: CompanyPolicyCodec.type.props.timedUnlockSeconds,
    makerChecker: CompanyPolicyCodec.type.props.makerChecker,
    activationCodeTtlSeconds: CompanyPolicyCodec.type.props.activationCodeTtlSeconds,
    registrationAttempts: CompanyPolicyCodec.type.props.registrationAttempts,
    requireEnrolment: EnrolmentActionsCodec,
    reactivationBy: ReactivationRolesCodec,
    recoveryCodeCount: CompanyPolicyCodec.type.props.recoveryCodeCount,
    recoveryCodeTtlSeconds: CompanyPolicyCodec.type.props.recoveryCodeTtlSeconds,
    emergencyCodeTtlSeconds: CompanyPolicyCodec.type.props.emergencyCodeTtlSeconds,
    confirmationFactors: ConfirmationFactorsCodec,
  }),
);

/** A partial policy, as ConfigureCompany carries it. */
export type CompanyPolicyPatch = t.TypeOf<typeof CompanyPolicyPatchCodec>;

/** The policy after applying a patch; settings the patch leaves out (or sets to undefined) are kept. */
export const applyPolicyPatch = (policy: CompanyPolicy, patch: CompanyPolicyPatch): CompanyPolicy => {
  const { otp, ...rest } = patch;
  return { ...policy, ...withoutUndefined(rest), otp: { ...policy.otp, ...withoutUndefined(otp ?? {}) } };
};
