/**
 * A small reference model of the soft-token lifecycle, written from the design's table and the
 * decisions, independently of the implementation: what each command should answer and what state
 * each token and the quota should then be in.
 */

export type Status = 'pending' | 'assigned' | 'pending-activation' | 'active' | 'deleted' | 'disabled';
export type OtpMode = 'none' | 'valid' | 'wrong';

export interface ModelToken {
  readonly serial: string;
  readonly userId: string;
  readonly kind: 'soft' | 'physical';
  status: Status;
  locked: boolean;
  failures: number;
  /** Set while assigned: when the code expires, how many wrong registrations, void. */
  code?: { expiresAt: number; failures: number; void: boolean };
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

  /** The actor's factor: active soft, else active physical. */
  factorOf(actor: Actor): ModelToken | undefined {
    if (actor.kind !== 'user') return undefined;
    const soft = this.liveOf(actor.userId, 'soft');
    if (soft?.status === 'active') return soft;
    const physical = this.liveOf(actor.userId, 'physical');
    return physical?.status === 'active' ? physical : undefined;
  }

  private actorProblem(actor: Actor): Expected | undefined {
    if (actor.kind === 'bank') return undefined;
    return this.users.get(actor.userId)?.active === true ? undefined : fail('Forbidden');
  }

  /** The OTP rule; `apply` runs only when the code is accepted (or the actor is not enrolled). */
  private otpRule(actor: Actor, otp: OtpMode, apply: () => Expected): Expected {
    const factor = this.factorOf(actor);
    if (factor === undefined) return apply();
    if (factor.locked) return fail('TokenLocked');
    if (otp === 'none') return fail('OtpRequired');
    if (otp === 'wrong') {
      factor.failures += 1;
      if (factor.failures >= this.policy.maxFailures) factor.locked = true;
      return fail('OtpRejected', 'mismatch');
    }
    factor.failures = 0;
    return apply();
  }

  private roles(actor: Actor, token: ModelToken) {
    const user = actor.kind === 'user' ? this.users.get(actor.userId) : undefined;
    return { owner: actor.kind === 'user' && actor.userId === token.userId, admin: user?.admin === true, bank: actor.kind === 'bank' };
  }

  private prepare(actor: Actor, serial: string, allowed: (roles: { owner: boolean; admin: boolean; bank: boolean }) => boolean, from: readonly Status[], lock: 'unlocked' | 'locked' | 'any'): ModelToken | Expected {
    const problem = this.actorProblem(actor);
    if (problem !== undefined) return problem;
    const token = this.tokens.find((candidate) => candidate.serial === serial);
    if (token === undefined) return fail('NotFound');
    const roles = this.roles(actor, token);
    if (!allowed(roles)) return fail('Forbidden');
    if (!from.includes(token.status)) return fail('InvalidTransition');
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
    return this.otpRule(actor, otp, () => {
      token.status = 'assigned';
      token.code = { expiresAt: now + this.policy.ttlMs, failures: 0, void: false };
      return ok;
    });
  }

  reissue(actor: Actor, serial: string, otp: OtpMode, now: number): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.admin, ['assigned'], 'any');
    if (!('serial' in token)) return token;
    return this.otpRule(actor, otp, () => {
      token.code = { expiresAt: now + this.policy.ttlMs, failures: 0, void: false };
      return ok;
    });
  }

  enroll(actor: Actor, serial: string, registration: 'valid' | 'wrong' | 'malformed', otp: OtpMode, now: number): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.owner, ['assigned'], 'any');
    if (!('serial' in token)) return token;
    const code = token.code;
    if (code === undefined || code.void || now >= code.expiresAt) return fail('ActivationCodeExpired');
    if (registration === 'malformed') return fail('RegistrationCodeInvalid');
    return this.otpRule(actor, otp, () => {
      if (registration === 'valid') {
        token.status = 'pending-activation';
        delete token.code;
        return ok;
      }
      code.failures += 1;
      if (code.failures >= this.policy.registrationAttempts) code.void = true;
      return fail('RegistrationCodeInvalid');
    });
  }

  activate(actor: Actor, serial: string, otp: OtpMode): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.admin, ['pending-activation'], 'unlocked');
    if (!('serial' in token)) return token;
    return this.otpRule(actor, otp, () => {
      token.status = 'active';
      const physical = this.liveOf(token.userId, 'physical');
      if (physical?.status === 'active') physical.status = 'disabled';
      return ok;
    });
  }

  delete(actor: Actor, serial: string, otp: OtpMode): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.admin || roles.owner || roles.bank, ['pending', 'assigned', 'pending-activation', 'active'], 'any');
    if (!('serial' in token)) return token;
    return this.otpRule(actor, otp, () => {
      token.status = 'deleted';
      token.locked = false;
      delete token.code;
      return ok;
    });
  }

  unlock(actor: Actor, serial: string, otp: OtpMode): Expected {
    const token = this.prepare(actor, serial, (roles) => roles.admin || roles.bank, ['pending-activation', 'active'], 'locked');
    if (!('serial' in token)) return token;
    return this.otpRule(actor, otp, () => {
      token.locked = false;
      token.failures = 0;
      return ok;
    });
  }

  verify(actor: Actor, otp: OtpMode): Expected {
    const problem = this.actorProblem(actor);
    if (problem !== undefined) return problem;
    if (actor.kind !== 'user') return fail('Forbidden');
    if (this.factorOf(actor) === undefined) return fail('PreconditionFailed');
    return this.otpRule(actor, otp, () => ok);
  }
}
