/**
 * A small reference model of the soft-token lifecycle, written from the design's table and the
 * decisions, independently of the implementation: what each command should answer and what state
 * each token and the quota should then be in.
 */

export type Status = 'pending' | 'assigned' | 'pending-activation' | 'active' | 'deleted' | 'disabled' | 'suspended' | 'lost';
export type TemporaryAccessKind = 'none' | 'recovery-codes' | 'emergency-code';
export type OtpMode = 'none' | 'valid' | 'wrong';

export interface ModelToken {
  readonly serial: string;
  readonly userId: string;
  readonly kind: 'soft' | 'physical';
  status: Status;
  locked: boolean;
  failures: number;
  /** Set while assigned, or on an active or lost token while a reactivation is pending: when the code expires, how many wrong registrations, void. */
  code?: { expiresAt: number; failures: number; void: boolean };
  /** A lost token's one-time codes: how many, how many used, until when. */
  recovery?: { count: number; used: number; expiresAt: number };
}

export interface ModelUser {
  readonly userId: string;
  readonly admin: boolean;
  readonly active: boolean;
  readonly eligible: boolean;
}

export interface ModelPolicy {
  readonly quota: number;
  readonly maxFailures: number;
  readonly registrationAttempts: number;
  readonly ttlMs: number;
  /** Temporary access: codes and lifetime of each kind (the company's defaults). */
  readonly recoveryCodes: number;
  readonly recoveryTtlMs: number;
  readonly emergencyTtlMs: number;
}

export type Expected = { readonly ok: true } | { readonly ok: false; readonly tag: string; readonly reason?: string };

const ok: Expected = { ok: true };
const fail = (tag: string, reason?: string): Expected => ({ ok: false, tag, ...(reason === undefined ? {} : { reason }) });

type Actor = { readonly kind: 'user'; readonly userId: string } | { readonly kind: 'bank' };

export class LifecycleModel {
  readonly tokens: ModelToken[] = [];

  constructor(
    readonly users: ReadonlyMap<string, ModelUser>,
    readonly policy: ModelPolicy,
  ) {}

  slotsInUse(): number {
    return this.tokens.filter((token) => token.kind === 'soft' && token.status !== 'deleted' && token.status !== 'disabled').length;
  }

  liveOf(userId: string, kind: 'soft' | 'physical'): ModelToken | undefined {
    return this.tokens.find((token) => token.userId === userId && token.kind === kind && token.status !== 'deleted' && token.status !== 'disabled');
  }

  /** The actor's factor at `now`: active soft, else active physical, else a lost one (soft first) whose one-time codes are open. */
  factorOf(actor: Actor, now: number): ModelToken | undefined {
    if (actor.kind !== 'user') return undefined;
    const tokens = [this.liveOf(actor.userId, 'soft'), this.liveOf(actor.userId, 'physical')];
    const active = tokens.find((token) => token?.status === 'active');
    if (active !== undefined) return active;
    return tokens.find((token) => token?.status === 'lost' && token.recovery !== undefined && token.recovery.used < token.recovery.count && now < token.recovery.expiresAt);
  }

  private actorProblem(actor: Actor): Expected | undefined {
    if (actor.kind === 'bank') return undefined;
    return this.users.get(actor.userId)?.active === true ? undefined : fail('Forbidden');
  }

  /** The OTP rule; `apply` runs only when the code is accepted (or the actor is not enrolled). A lost token's one-time code is spent. */
  private otpRule(actor: Actor, otp: OtpMode, now: number, apply: () => Expected): Expected {
    const factor = this.factorOf(actor, now);
    if (factor === undefined) return apply();
    if (factor.locked) return fail('TokenLocked');
    if (otp === 'none') return fail('OtpRequired');
    if (otp === 'wrong') {
      factor.failures += 1;
      if (factor.failures >= this.policy.maxFailures) factor.locked = true;
      return fail('OtpRejected', 'mismatch');
    }
    factor.failures = 0;
    if (factor.status === 'lost' && factor.recovery !== undefined) factor.recovery.used += 1;
    return apply();
  }

  private roles(actor: Actor, token: ModelToken) {
    const user = actor.kind === 'user' ? this.users.get(actor.userId) : undefined;
    return { owner: actor.kind === 'user' && actor.userId === token.userId, admin: user?.admin === true, bank: actor.kind === 'bank' };
  }

  private prepare(
    actor: Actor,
    serial: string,
    allowed: (roles: { owner: boolean; admin: boolean; bank: boolean }) => boolean,
    from: readonly Status[],
    lock: 'unlocked' | 'locked' | 'any',
    kinds: readonly ('soft' | 'physical')[] = ['soft', 'physical'],
  ): ModelToken | Expected {
    const problem = this.actorProblem(actor);
    if (problem !== undefined) return problem;
    const token = this.tokens.find((candidate) => candidate.serial === serial);
    if (token === undefined) return fail('NotFound');
    const roles = this.roles(actor, token);
    if (!allowed(roles)) return fail('Forbidden');
    if (!from.includes(token.status)) return fail('InvalidTransition');
    if (!kinds.includes(token.kind)) return fail('InvalidTransition');
    if (lock === 'unlocked' && token.locked) return fail('TokenLocked');
    if (lock === 'locked' && !token.locked) return fail('InvalidTransition');
    if (roles.owner && token.locked) return fail('TokenLocked');
    return token;
  }

  request(actor: Actor, target: string, newSerial: () => string): Expected {
    const problem = this.actorProblem(actor);
    if (problem !== undefined) return problem;
    if (actor.kind !== 'user') return fail('Forbidden');
    if (!(this.users.get(actor.userId)?.admin === true || actor.userId === target)) return fail('Forbidden');
    const user = this.users.get(target);
    if (user === undefined) return fail('NotFound');
    if (!user.active || !user.eligible) return fail('PreconditionFailed');
    if (this.liveOf(target, 'soft') !== undefined) return fail('PreconditionFailed');
    if (this.slotsInUse() >= this.policy.quota) return fail('QuotaExhausted');
    this.tokens.push({ serial: newSerial(), userId: target, kind: 'soft', status: 'pending', locked: false, failures: 0 });
    return ok;
  }

  importPhysical(actor: Actor, userId: string, serial: string): Expected {
    if (actor.kind !== 'bank') return fail('Forbidden');
    const user = this.users.get(userId);
    if (user === undefined) return fail('NotFound');
    if (!user.active) return fail('PreconditionFailed');
    if (this.liveOf(userId, 'physical') !== undefined) return fail('PreconditionFailed');
    this.tokens.push({ serial, userId, kind: 'physical', status: 'active', locked: false, failures: 0 });
    return ok;
  }

  confirm(actor: Actor, serial: string, otp: OtpMode, now: number): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.admin, ['pending'], 'any');
    if (!('serial' in token)) return token;
    return this.otpRule(actor, otp, now, () => {
      token.status = 'assigned';
      token.code = { expiresAt: now + this.policy.ttlMs, failures: 0, void: false };
      return ok;
    });
  }

  reissue(actor: Actor, serial: string, otp: OtpMode, now: number): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.admin, ['assigned'], 'any');
    if (!('serial' in token)) return token;
    return this.otpRule(actor, otp, now, () => {
      token.code = { expiresAt: now + this.policy.ttlMs, failures: 0, void: false };
      return ok;
    });
  }

  enroll(actor: Actor, serial: string, registration: 'valid' | 'wrong' | 'malformed', otp: OtpMode, now: number): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.owner, ['assigned', 'active', 'lost'], 'any', ['soft']);
    if (!('serial' in token)) return token;
    const code = token.code;
    // On an active or lost token only a pending reactivation can be enrolled.
    if (token.status !== 'assigned' && code === undefined) return fail('InvalidTransition');
    if (code === undefined || code.void || now >= code.expiresAt) return fail('ActivationCodeExpired');
    if (registration === 'malformed') return fail('RegistrationCodeInvalid');
    return this.otpRule(actor, otp, now, () => {
      if (registration === 'valid') {
        // A reactivation: the new phone replaces the old one, the token is active with a fresh seed.
        token.status = token.status === 'assigned' ? 'pending-activation' : 'active';
        if (token.status === 'active') token.failures = 0;
        delete token.code;
        delete token.recovery;
        return ok;
      }
      code.failures += 1;
      if (code.failures >= this.policy.registrationAttempts) code.void = true;
      return fail('RegistrationCodeInvalid');
    });
  }

  activate(actor: Actor, serial: string, otp: OtpMode, now: number): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.admin, ['pending-activation'], 'unlocked');
    if (!('serial' in token)) return token;
    return this.otpRule(actor, otp, now, () => {
      token.status = 'active';
      const physical = this.liveOf(token.userId, 'physical');
      if (physical?.status === 'active') physical.status = 'disabled';
      return ok;
    });
  }

  delete(actor: Actor, serial: string, otp: OtpMode, now: number): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.admin || roles.owner || roles.bank, ['pending', 'assigned', 'pending-activation', 'active', 'suspended', 'lost'], 'any');
    if (!('serial' in token)) return token;
    return this.otpRule(actor, otp, now, () => {
      token.status = 'deleted';
      token.locked = false;
      delete token.code;
      delete token.recovery;
      return ok;
    });
  }

  unlock(actor: Actor, serial: string, otp: OtpMode, now: number): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.admin || roles.bank, ['pending-activation', 'active', 'suspended', 'lost'], 'locked');
    if (!('serial' in token)) return token;
    return this.otpRule(actor, otp, now, () => {
      token.locked = false;
      token.failures = 0;
      return ok;
    });
  }

  verify(actor: Actor, otp: OtpMode, now: number): Expected {
    const problem = this.actorProblem(actor);
    if (problem !== undefined) return problem;
    if (actor.kind !== 'user') return fail('Forbidden');
    if (this.factorOf(actor, now) === undefined) return fail('PreconditionFailed');
    return this.otpRule(actor, otp, now, () => ok);
  }

  suspend(actor: Actor, serial: string, otp: OtpMode, now: number): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.admin || roles.bank, ['active'], 'any');
    if (!('serial' in token)) return token;
    return this.otpRule(actor, otp, now, () => {
      token.status = 'suspended';
      delete token.code;
      return ok;
    });
  }

  resume(actor: Actor, serial: string, otp: OtpMode, now: number): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.admin || roles.bank, ['suspended'], 'any');
    if (!('serial' in token)) return token;
    // Resuming does not unlock.
    return this.otpRule(actor, otp, now, () => {
      token.status = 'active';
      return ok;
    });
  }

  /** The owner reports without a code; an admin follows the OTP rule; the bank needs none. */
  reportLost(actor: Actor, serial: string, access: TemporaryAccessKind, otp: OtpMode, now: number): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.owner || roles.admin || roles.bank, ['active', 'suspended'], 'any');
    if (!('serial' in token)) return token;
    const report = (): Expected => {
      token.status = 'lost';
      delete token.code;
      delete token.recovery;
      if (access === 'recovery-codes') token.recovery = { count: this.policy.recoveryCodes, used: 0, expiresAt: now + this.policy.recoveryTtlMs };
      if (access === 'emergency-code') token.recovery = { count: 1, used: 0, expiresAt: now + this.policy.emergencyTtlMs };
      return ok;
    };
    return this.roles(actor, token).owner ? report() : this.otpRule(actor, otp, now, report);
  }

  /** Anyone of owner, admin, bank (the default policy); the owner must confirm with a factor. */
  reactivate(actor: Actor, serial: string, otp: OtpMode, now: number): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.owner || roles.admin || roles.bank, ['active', 'lost'], 'any', ['soft']);
    if (!('serial' in token)) return token;
    const ownerWithoutFactor = this.roles(actor, token).owner && this.factorOf(actor, now) === undefined;
    return this.otpRule(actor, otp, now, () => {
      if (ownerWithoutFactor) return fail('Forbidden');
      token.code = { expiresAt: now + this.policy.ttlMs, failures: 0, void: false };
      return ok;
    });
  }
}
