import type { TokenKind, TokenStatus, TokenStatusOrNone } from './status.js';

/** The commands of the soft-token lifecycle. */
export const tokenCommandTypes = [
  'ConfigureCompany',
  'RequestTokenAssignment',
  'ConfirmTokenAssignment',
  'ReissueActivationCode',
  'EnrollDevice',
  'ActivateToken',
  'DeleteToken',
  'ImportPhysicalToken',
  'ImportPhysicalTokens',
  'AssignPhysicalToken',
  'VerifyOtp',
  'UnlockToken',
  'ResyncToken',
  'ClearSecurityQuestionLock',
  'SuspendToken',
  'ResumeToken',
  'ReportTokenLost',
  'ReactivateToken',
] as const;

/** One of {@link tokenCommandTypes}. */
export type TokenCommandType = (typeof tokenCommandTypes)[number];

/**
 * Who may issue a command, relative to the token: `admin` is a company admin of the token's
 * company (per the Directory), `owner` the token's user, `bank` a bank operator.
 */
export type ActorRole = 'admin' | 'owner' | 'bank';

/** A company-policy condition under which an actor rule holds. */
export type PolicyCondition =
  | { readonly activation: 'admin' | 'security-question' }
  | { readonly assignmentConfirmation: 'admin-otp' | 'none' }
  /** The company's `reactivationBy` lists this role. */
  | { readonly reactivationBy: ActorRole };

/** A role allowed to issue a command, optionally only under a policy. */
export interface ActorRule {
  readonly role: ActorRole;
  readonly when?: PolicyCondition;
}

/**
 * One row of the lifecycle table. A command whose token is in a state outside `from` fails with
 * `InvalidTransition` naming that state and the command.
 */
export interface TokenTransition {
  readonly command: TokenCommandType;
  /** The stream the command is about: the company's, or one token's. */
  readonly subject: 'company' | 'token';
  /** States the token may be in; `none` means the token does not exist yet (a new stream). */
  readonly from: readonly TokenStatusOrNone[];
  /** The state after the command; `same` leaves it unchanged. */
  readonly to: TokenStatus | 'same';
  /** From-states that lead elsewhere than `to` (EnrollDevice completing a reactivation stays `active`). */
  readonly toFrom?: Partial<Readonly<Record<TokenStatus, TokenStatus>>>;
  /** Token kinds the command applies to. */
  readonly kinds: readonly TokenKind[];
  /** Who may issue it. */
  readonly actors: readonly ActorRule[];
  /** Whether the OTP rule applies to the acting user (see docs/decisions.md). */
  readonly otpRule: boolean;
  /** What the locked flag must be: `unlocked` refuses a locked token, `locked` requires one, `any` ignores it. */
  readonly locked: 'unlocked' | 'locked' | 'any';
  /** The rule in words, for docs and diagrams. */
  readonly rule: string;
}

const live: readonly TokenStatus[] = ['pending', 'assigned', 'pending-activation', 'active', 'suspended', 'lost', 'unassigned'];

/** The soft-token lifecycle as data: the single source for handlers, docs and diagrams. */
export const tokenTransitionTable: { readonly [Command in TokenCommandType]: TokenTransition & { readonly command: Command } } = {
  ConfigureCompany: {
    command: 'ConfigureCompany',
    subject: 'company',
    from: [],
    to: 'same',
    kinds: [],
    actors: [{ role: 'bank' }],
    otpRule: false,
    locked: 'any',
    rule: 'bank side: soft-token quota and policy; omitted settings keep their value (defaults the first time)',
  },
  RequestTokenAssignment: {
    command: 'RequestTokenAssignment',
    subject: 'token',
    from: ['none'],
    to: 'pending',
    kinds: ['soft'],
    actors: [{ role: 'admin' }, { role: 'owner' }],
    otpRule: false,
    locked: 'any',
    rule: 'target user active with email and mobile, no live soft token; reserves a quota slot atomically; allocates a serial; with assignmentConfirmation none the token is assigned in the same commit',
  },
  ConfirmTokenAssignment: {
    command: 'ConfirmTokenAssignment',
    subject: 'token',
    from: ['pending'],
    to: 'assigned',
    kinds: ['soft'],
    actors: [{ role: 'admin' }],
    otpRule: true,
    locked: 'any',
    rule: "issues an activation code with an expiry, kept only in the vault and handed to the token's owner alone (the delivery port, or the owner's own output)",
  },
  ReissueActivationCode: {
    command: 'ReissueActivationCode',
    subject: 'token',
    from: ['assigned'],
    to: 'same',
    kinds: ['soft'],
    actors: [{ role: 'admin' }, { role: 'owner', when: { assignmentConfirmation: 'none' } }],
    otpRule: true,
    locked: 'any',
    rule: 'a new activation code replaces the old one, which stops working',
  },
  EnrollDevice: {
    command: 'EnrollDevice',
    subject: 'token',
    from: ['assigned', 'active', 'lost'],
    to: 'pending-activation',
    toFrom: { active: 'active', lost: 'active' },
    kinds: ['soft'],
    actors: [{ role: 'owner' }],
    otpRule: true,
    locked: 'any',
    rule: 'the registration code proves the app derived the seed from the activation code; expired or void codes and wrong registration codes are refused; wrong ones count toward the attempt limit. On an active or lost token with a pending reactivation the new phone replaces the old one at once (DeviceReplaced: active, the old seed destroyed in the same commit)',
  },
  ActivateToken: {
    command: 'ActivateToken',
    subject: 'token',
    from: ['pending-activation'],
    to: 'active',
    kinds: ['soft'],
    actors: [
      { role: 'admin', when: { activation: 'admin' } },
      { role: 'owner', when: { activation: 'security-question' } },
    ],
    otpRule: true,
    locked: 'unlocked',
    rule: "policy admin: a company admin activates; policy security-question: the user answers the security question; the user's active physical token is disabled in the same commit",
  },
  DeleteToken: {
    command: 'DeleteToken',
    subject: 'token',
    from: live,
    to: 'deleted',
    kinds: ['soft', 'physical'],
    actors: [{ role: 'admin' }, { role: 'owner' }, { role: 'bank' }],
    otpRule: true,
    locked: 'any',
    rule: 'releases the quota slot (soft) and destroys the seed; the owner of a locked token cannot act',
  },
  ImportPhysicalToken: {
    command: 'ImportPhysicalToken',
    subject: 'token',
    from: ['none'],
    to: 'active',
    kinds: ['physical'],
    actors: [{ role: 'bank' }],
    otpRule: false,
    locked: 'any',
    rule: 'bank side: serial, seed and OATH parameters of a hardware token; at most one live physical token per user',
  },
  ImportPhysicalTokens: {
    command: 'ImportPhysicalTokens',
    subject: 'token',
    from: ['none'],
    to: 'unassigned',
    kinds: ['physical'],
    actors: [{ role: 'bank' }],
    otpRule: false,
    locked: 'any',
    rule: "bank side: a whole PSKC or OATH CSV file into the company's pool, all or nothing; every serial new, every seed through the vault",
  },
  AssignPhysicalToken: {
    command: 'AssignPhysicalToken',
    subject: 'token',
    from: ['unassigned'],
    to: 'active',
    kinds: ['physical'],
    actors: [{ role: 'admin' }, { role: 'bank' }],
    otpRule: true,
    locked: 'any',
    rule: 'gives a pooled token of the company to an active user of it, who holds no other live physical token (no soft-token quota slot is taken)',
  },
  VerifyOtp: {
    command: 'VerifyOtp',
    subject: 'token',
    from: ['active'],
    to: 'same',
    kinds: ['soft', 'physical'],
    actors: [{ role: 'owner' }],
    otpRule: true,
    locked: 'unlocked',
    rule: "a host's step-up check of the actor's own token: OtpAccepted, or OtpRejected (and TokenLocked at maxFailures)",
  },
  UnlockToken: {
    command: 'UnlockToken',
    subject: 'token',
    from: ['pending-activation', 'active', 'suspended', 'lost'],
    to: 'same',
    kinds: ['soft', 'physical'],
    actors: [{ role: 'admin' }, { role: 'bank' }],
    otpRule: true,
    locked: 'locked',
    rule: 'clears the locked flag and the failure count; a suspended or lost token stays so (unlock does not resume)',
  },
  ResyncToken: {
    command: 'ResyncToken',
    subject: 'token',
    from: ['active'],
    to: 'same',
    kinds: ['soft', 'physical'],
    actors: [{ role: 'owner' }, { role: 'admin' }],
    otpRule: true,
    locked: 'unlocked',
    rule: "two consecutive codes from the token move its expected position: TOTP only toward codes shown near now (from the window's future steps back to the resync window ahead); an admin confirms with their own OTP",
  },
  ClearSecurityQuestionLock: {
    command: 'ClearSecurityQuestionLock',
    subject: 'company',
    from: [],
    to: 'same',
    kinds: [],
    actors: [{ role: 'admin' }, { role: 'bank' }],
    otpRule: true,
    locked: 'any',
    rule: "forgets a user's wrong security answers (counted per user, across tokens), so they may activate by security question again; never the user themself",
  },
  SuspendToken: {
    command: 'SuspendToken',
    subject: 'token',
    from: ['active'],
    to: 'suspended',
    kinds: ['soft', 'physical'],
    actors: [{ role: 'admin' }, { role: 'bank' }],
    otpRule: true,
    locked: 'any',
    rule: 'a suspended token confirms nothing and keeps its seed and quota slot; a pending reactivation code is destroyed; the locked flag is kept as it is',
  },
  ResumeToken: {
    command: 'ResumeToken',
    subject: 'token',
    from: ['suspended'],
    to: 'active',
    kinds: ['soft', 'physical'],
    actors: [{ role: 'admin' }, { role: 'bank' }],
    otpRule: true,
    locked: 'any',
    rule: 'the token confirms again; resume does not unlock (a locked token stays locked)',
  },
  ReportTokenLost: {
    command: 'ReportTokenLost',
    subject: 'token',
    from: ['active', 'suspended'],
    to: 'lost',
    kinds: ['soft', 'physical'],
    actors: [{ role: 'owner' }, { role: 'admin' }, { role: 'bank' }],
    otpRule: true,
    locked: 'any',
    rule: 'suspends at once (the owner reports without a code: the phone is gone; an admin confirms with their own); optionally grants temporary access (one-time recovery codes or one emergency code, sent only through the delivery port, stored as slow salted digests, expiring by policy, counted under the lock rules); ends deleted or reactivated',
  },
  ReactivateToken: {
    command: 'ReactivateToken',
    subject: 'token',
    from: ['active', 'lost'],
    to: 'same',
    kinds: ['soft'],
    actors: [
      { role: 'owner', when: { reactivationBy: 'owner' } },
      { role: 'admin', when: { reactivationBy: 'admin' } },
      { role: 'bank', when: { reactivationBy: 'bank' } },
    ],
    otpRule: true,
    locked: 'any',
    rule: "a new activation code, sent to the owner through the delivery port only; the phone that enrols with it replaces the old one, whose seed is destroyed in that commit. The owner must confirm with a code (from the old phone, or a recovery code while lost); policy reactivationBy says who may start it",
  },
};

/** The rows of {@link tokenTransitionTable} in the order of {@link tokenCommandTypes}. */
export const tokenTransitions: readonly TokenTransition[] = tokenCommandTypes.map((command) => tokenTransitionTable[command]);

/** Transitions that happen to a token as a side effect of another token's command. */
export interface SideTransition {
  readonly event: string;
  readonly cause: TokenCommandType;
  readonly kinds: readonly TokenKind[];
  readonly from: readonly TokenStatus[];
  readonly to: TokenStatus | 'same';
  readonly rule: string;
}

/** The side transitions: what other commands do to a token, and what the OTP rule does to it. */
export const tokenSideTransitions: readonly SideTransition[] = [
  {
    event: 'PhysicalTokenDisabled',
    cause: 'ActivateToken',
    kinds: ['physical'],
    from: ['active'],
    to: 'disabled',
    rule: "activating a user's soft token disables their physical token in the same commit (final, like deleted; its seed is destroyed)",
  },
  {
    event: 'DeviceReplaced',
    cause: 'EnrollDevice',
    kinds: ['soft'],
    from: ['active', 'lost'],
    to: 'active',
    rule: 'a new phone enrols with a reactivation code: it replaces the old one, whose seed (and any temporary access) is destroyed in the same commit',
  },
];

/** Where a command of the table leads a token from a state. */
export const targetOf = (transition: TokenTransition, from: TokenStatus): TokenStatus => {
  const to = transition.toFrom?.[from] ?? transition.to;
  return to === 'same' ? from : to;
};

/** The table row of a command. */
export const transitionOf = (command: TokenCommandType): TokenTransition => tokenTransitionTable[command];
