/**
 * An independent, deliberately naive reference model of the orders domain, written from the design's
 * rules (not from the implementation): plain maps, arrays and integers. The model-based tests drive
 * the real deciders, handlers and projections and this model with the same commands and compare.
 */

export type Status = 'pending-approval' | 'approved' | 'executed' | 'deleted' | 'revoked';

export interface ModelActor {
  readonly kind: 'user' | 'bank';
  readonly userId: string;
  readonly companyId: string;
}

export interface ModelOrder {
  readonly orderId: string;
  readonly companyId: string;
  readonly serviceId: string;
  readonly kind: 'file' | 'single';
  readonly reference: string;
  readonly count: number;
  readonly minor: bigint;
  readonly currency: 'USD' | 'EUR' | 'JPY';
  readonly uploader: string;
  readonly uploadedAt: number;
  readonly required: number;
  readonly duplicateOf: readonly string[];
  status: Status;
  approvals: { level: number; userId: string; at: number }[];
  seq: number;
}

export type ModelCommand =
  | { readonly type: 'RegisterServiceAgreement'; readonly companyId: string; readonly serviceId: string; readonly levels: number }
  | { readonly type: 'GrantApprover'; readonly companyId: string; readonly serviceId: string; readonly userId: string; readonly level: number }
  | { readonly type: 'RevokeApprover'; readonly companyId: string; readonly serviceId: string; readonly userId: string; readonly level?: number }
  | {
      readonly type: 'UploadOrder';
      readonly orderId: string;
      readonly companyId: string;
      readonly serviceId: string;
      readonly kind: 'file' | 'single';
      readonly reference: string;
      readonly count: number;
      readonly minor: bigint;
      readonly currency: 'USD' | 'EUR' | 'JPY';
    }
  | { readonly type: 'DeleteOrder'; readonly orderId: string }
  | { readonly type: 'ApproveOrders'; readonly orderIds: readonly string[] }
  | { readonly type: 'RevokeOrders'; readonly orderIds: readonly string[] }
  | { readonly type: 'MarkOrderExecuted'; readonly companyId: string; readonly orderId: string };

/** The fake directory both sides use: who is an active user of which company, and who is admin. */
export const directory: Readonly<Record<string, { readonly companyId: string; readonly active: boolean; readonly admin: boolean }>> = {
  u1: { companyId: 'ACME', active: true, admin: false },
  u2: { companyId: 'ACME', active: true, admin: false },
  u3: { companyId: 'ACME', active: true, admin: false },
  u4: { companyId: 'ACME', active: true, admin: false },
  adm: { companyId: 'ACME', active: true, admin: true },
  ina: { companyId: 'ACME', active: false, admin: true },
  x1: { companyId: 'OTHER', active: true, admin: true },
};

const activeIn = (userId: string, companyId: string): boolean => directory[userId]?.companyId === companyId && directory[userId].active;

export type ModelResult = { readonly ok: true } | { readonly ok: false; readonly code: string; readonly orderId?: string };

const fail = (code: string, orderId?: string): ModelResult => (orderId === undefined ? { ok: false, code } : { ok: false, code, orderId });

const normalise = (reference: string): string => reference.trim().normalize('NFC').toLowerCase();

export class ReferenceModel {
  readonly agreements = new Map<string, { levels: number; grants: Map<string, Set<number>> }>();
  /** By company and order id: order ids are scoped by company. */
  readonly orders = new Map<string, ModelOrder>();
  private seq = 0;

  /** Order `orderId` of `companyId`. */
  order(companyId: string, orderId: string): ModelOrder | undefined {
    return this.orders.get(`${companyId}/${orderId}`);
  }

  /** An order with this id, ACME's first (for picking actors and companies in generated commands). */
  anyOrder(orderId: string): ModelOrder | undefined {
    return this.order('ACME', orderId) ?? this.order('OTHER', orderId);
  }

  constructor(readonly makerChecker: boolean) {}

  private agreement(companyId: string, serviceId: string) {
    return this.agreements.get(`${companyId}/${serviceId}`);
  }

  grantsOf(companyId: string, serviceId: string, userId: string): readonly number[] {
    return [...(this.agreement(companyId, serviceId)?.grants.get(userId) ?? [])].sort();
  }

  /** Applies `command` by `actor` at `now`; returns whether it was accepted (and the error code if not). */
  apply(command: ModelCommand, actor: ModelActor, now: number): ModelResult {
    switch (command.type) {
      case 'RegisterServiceAgreement': {
        if (actor.kind !== 'bank') return fail('FORBIDDEN');
        const existing = this.agreement(command.companyId, command.serviceId);
        if (existing === undefined) this.agreements.set(`${command.companyId}/${command.serviceId}`, { levels: command.levels, grants: new Map() });
        else existing.levels = command.levels;
        return { ok: true };
      }
      case 'GrantApprover': {
        if (actor.kind !== 'bank') return fail('FORBIDDEN');
        const agreement = this.agreement(command.companyId, command.serviceId);
        if (agreement === undefined) return fail('NOT_FOUND');
        if (!activeIn(command.userId, command.companyId)) return fail('PRECONDITION_FAILED');
        const levels = agreement.grants.get(command.userId) ?? new Set<number>();
        levels.add(command.level);
        agreement.grants.set(command.userId, levels);
        return { ok: true };
      }
      case 'RevokeApprover': {
        if (actor.kind !== 'bank') return fail('FORBIDDEN');
        const agreement = this.agreement(command.companyId, command.serviceId);
        if (agreement === undefined) return fail('NOT_FOUND');
        if (command.level === undefined) agreement.grants.delete(command.userId);
        else agreement.grants.get(command.userId)?.delete(command.level);
        if (agreement.grants.get(command.userId)?.size === 0) agreement.grants.delete(command.userId);
        return { ok: true };
      }
      case 'UploadOrder': {
        if (actor.kind !== 'user' || !activeIn(actor.userId, actor.companyId)) return fail('FORBIDDEN', command.orderId);
        if (actor.companyId !== command.companyId) return fail('FORBIDDEN', command.orderId);
        const agreement = this.agreement(command.companyId, command.serviceId);
        if (agreement === undefined) return fail('NOT_FOUND', command.orderId);
        if (this.order(command.companyId, command.orderId) !== undefined) return fail('INVALID_TRANSITION', command.orderId);
        const duplicateOf = [...this.orders.values()]
          .filter(
            (order) =>
              order.companyId === command.companyId &&
              order.serviceId === command.serviceId &&
              (order.status === 'pending-approval' || order.status === 'approved') &&
              order.kind === command.kind &&
              normalise(order.reference) === normalise(command.reference) &&
              order.count === command.count &&
              order.minor === command.minor &&
              order.currency === command.currency,
          )
          .sort((a, b) => a.seq - b.seq)
          .map((order) => order.orderId);
        this.orders.set(`${command.companyId}/${command.orderId}`, {
          orderId: command.orderId,
          companyId: command.companyId,
          serviceId: command.serviceId,
          kind: command.kind,
          reference: command.reference,
          count: command.count,
          minor: command.minor,
          currency: command.currency,
          uploader: actor.userId,
          uploadedAt: now,
          required: agreement.levels,
          duplicateOf,
          status: 'pending-approval',
          approvals: [],
          seq: this.seq++,
        });
        return { ok: true };
      }
      case 'DeleteOrder': {
        const check = this.check(actor, command.orderId, 'pending-approval', (order) =>
          order.uploader === actor.userId || directory[actor.userId]?.admin === true ? undefined : 'FORBIDDEN',
        );
        if (!check.ok) return check;
        this.order(actor.companyId, command.orderId)!.status = 'deleted';
        return check;
      }
      case 'ApproveOrders': {
        for (const orderId of command.orderIds) {
          const check = this.check(actor, orderId, 'pending-approval', (order) => {
            if (this.makerChecker && order.uploader === actor.userId) return 'FORBIDDEN';
            if (order.approvals.some((approval) => approval.userId === actor.userId)) return 'FORBIDDEN';
            return this.grantsOf(order.companyId, order.serviceId, actor.userId).includes(order.approvals.length + 1) ? undefined : 'FORBIDDEN';
          });
          if (!check.ok) return check;
        }
        for (const orderId of command.orderIds) {
          const order = this.order(actor.companyId, orderId)!;
          order.approvals.push({ level: order.approvals.length + 1, userId: actor.userId, at: now });
          if (order.approvals.length === order.required) order.status = 'approved';
        }
        return { ok: true };
      }
      case 'RevokeOrders': {
        for (const orderId of command.orderIds) {
          const check = this.check(actor, orderId, 'approved', (order) =>
            this.grantsOf(order.companyId, order.serviceId, actor.userId).length > 0 || directory[actor.userId]?.admin === true ? undefined : 'FORBIDDEN',
          );
          if (!check.ok) return check;
        }
        for (const orderId of command.orderIds) this.order(actor.companyId, orderId)!.status = 'revoked';
        return { ok: true };
      }
      case 'MarkOrderExecuted': {
        if (actor.kind !== 'bank') return fail('FORBIDDEN', command.orderId);
        const order = this.order(command.companyId, command.orderId);
        if (order === undefined) return fail('NOT_FOUND', command.orderId);
        if (order.status !== 'approved') return fail('INVALID_TRANSITION', command.orderId);
        order.status = 'executed';
        return { ok: true };
      }
    }
  }

  private check(actor: ModelActor, orderId: string, from: Status, role: (order: ModelOrder) => string | undefined): ModelResult {
    if (actor.kind !== 'user' || !activeIn(actor.userId, actor.companyId)) return fail('FORBIDDEN', orderId);
    const order = this.order(actor.companyId, orderId);
    if (order === undefined) return fail('NOT_FOUND', orderId);
    if (order.status !== from) return fail('INVALID_TRANSITION', orderId);
    const refused = role(order);
    return refused === undefined ? { ok: true } : fail(refused, orderId);
  }

  /** Orders of a company, newest upload first, filtered. */
  search(companyId: string, serviceId: string | undefined, statuses: readonly Status[] | undefined): ModelOrder[] {
    return [...this.orders.values()]
      .filter((order) => order.companyId === companyId && (serviceId === undefined || order.serviceId === serviceId) && (statuses === undefined || statuses.includes(order.status)))
      .sort((a, b) => b.seq - a.seq);
  }

  canApprove(order: ModelOrder, userId: string): boolean {
    return (
      order.status === 'pending-approval' &&
      !(this.makerChecker && order.uploader === userId) &&
      !order.approvals.some((approval) => approval.userId === userId) &&
      this.grantsOf(order.companyId, order.serviceId, userId).includes(order.approvals.length + 1)
    );
  }
}

const minorDigits = { USD: 2, EUR: 2, JPY: 0 } as const;

/** The decimal string of `minor` units of `currency`, as a user might type it (trailing zeros of the fraction dropped when `short`). */
export const decimalOf = (minor: bigint, currency: 'USD' | 'EUR' | 'JPY', short = false): string => {
  const digits = minorDigits[currency];
  if (digits === 0) return minor.toString();
  const text = minor.toString().padStart(digits + 1, '0');
  const fraction = text.slice(-digits);
  const whole = text.slice(0, -digits);
  const shortFraction = short ? fraction.replace(/0+$/, '') : fraction;
  return shortFraction === '' ? whole : `${whole}.${shortFraction}`;
};
