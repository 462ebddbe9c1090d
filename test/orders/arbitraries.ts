import fc from 'fast-check';
import type { ModelActor, ModelCommand, ReferenceModel, Status } from './reference-model.js';
import { directory } from './reference-model.js';

export const COMPANIES = ['ACME', 'OTHER'] as const;
export const SERVICES = ['S1', 'S2'] as const;
export const ORDER_IDS = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8', 'o9', 'o10', 'o11', 'o12', 'o13', 'o14'] as const;
export const USERS = ['u1', 'u2', 'u3', 'u4', 'adm', 'ina', 'x1'] as const;
export const APPROVERS = ['u1', 'u2', 'u3', 'u4', 'adm'] as const;

export const bankActor: ModelActor = { kind: 'bank', userId: 'op-1', companyId: '' };
export const userActor = (userId: string): ModelActor => ({ kind: 'user', userId, companyId: directory[userId]?.companyId ?? 'ACME' });

/** Mostly users of ACME; sometimes an inactive user, another company's user, or the bank. */
const actorArb: fc.Arbitrary<ModelActor> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...APPROVERS).map(userActor) },
  { weight: 1, arbitrary: fc.constantFrom('ina', 'x1').map(userActor) },
  { weight: 1, arbitrary: fc.constant(bankActor) },
);

const levelArb = fc.integer({ min: 1, max: 4 });
const serviceArb = fc.constantFrom(...SERVICES);
const companyArb = fc.oneof({ weight: 5, arbitrary: fc.constant('ACME') }, { weight: 1, arbitrary: fc.constant('OTHER') });
const orderIdArb = fc.constantFrom(...ORDER_IDS);

/** Few distinct contents (with spelling variants of one reference), so duplicates happen often. */
const contentArb = fc.oneof(
  fc.record({
    kind: fc.constant('file' as const),
    reference: fc.constantFrom('nomina.txt', 'NOMINA.TXT ', 'pagos.txt'),
    count: fc.constantFrom(1, 2),
    minor: fc.constantFrom(1050n, 99_999_999n, 1n),
    currency: fc.constantFrom('USD' as const, 'EUR' as const),
  }),
  fc.record({
    kind: fc.constant('single' as const),
    reference: fc.constantFrom('transfer 1', 'transfer 2'),
    count: fc.constant(1),
    minor: fc.constantFrom(1500n, 7n),
    currency: fc.constant('JPY' as const),
  }),
);

/**
 * What a step wants to do. Order commands pick their orders at run time among those that exist (mostly
 * among those where the command applies), so random sequences reach every state; `stray` makes them
 * name any id instead, existing or not.
 */
export type Intent =
  | { readonly kind: 'fixed'; readonly command: ModelCommand }
  | { readonly kind: 'single'; readonly type: 'DeleteOrder' | 'MarkOrderExecuted'; readonly pick: number; readonly focus: boolean; readonly stray: string | undefined }
  | { readonly kind: 'batch'; readonly type: 'ApproveOrders' | 'RevokeOrders'; readonly picks: readonly number[]; readonly focus: boolean; readonly stray: string | undefined };

const uploadIntentArb: fc.Arbitrary<Intent> = fc
  .record({ orderId: orderIdArb, companyId: companyArb, serviceId: serviceArb, content: contentArb })
  .map(({ content, ...rest }) => ({ kind: 'fixed' as const, command: { type: 'UploadOrder' as const, ...rest, ...content } }));

const pickArb = fc.nat({ max: 1000 });
const strayArb = fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: orderIdArb });

const intentArb: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ type: fc.constant('RegisterServiceAgreement' as const), companyId: companyArb, serviceId: serviceArb, levels: levelArb }).map((command) => ({ kind: 'fixed' as const, command })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ type: fc.constant('GrantApprover' as const), companyId: companyArb, serviceId: serviceArb, userId: fc.constantFrom(...USERS), level: levelArb })
      .map((command) => ({ kind: 'fixed' as const, command })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record(
        { type: fc.constant('RevokeApprover' as const), companyId: companyArb, serviceId: serviceArb, userId: fc.constantFrom(...USERS), level: levelArb },
        { requiredKeys: ['type', 'companyId', 'serviceId', 'userId'] },
      )
      .map((command) => ({ kind: 'fixed' as const, command })),
  },
  { weight: 6, arbitrary: fc.constant(null).chain(() => uploadIntentArb) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('single' as const), type: fc.constant('DeleteOrder' as const), pick: pickArb, focus: fc.boolean(), stray: strayArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('single' as const), type: fc.constant('MarkOrderExecuted' as const), pick: pickArb, focus: fc.boolean(), stray: strayArb }) },
  {
    weight: 10,
    arbitrary: fc.record({ kind: fc.constant('batch' as const), type: fc.constant('ApproveOrders' as const), picks: fc.array(pickArb, { minLength: 1, maxLength: 4 }), focus: fc.boolean(), stray: strayArb }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('batch' as const), type: fc.constant('RevokeOrders' as const), picks: fc.array(pickArb, { minLength: 1, maxLength: 3 }), focus: fc.boolean(), stray: strayArb }),
  },
);

/** A step: an intent, who sends it (`smart`: someone entitled to, when there is one), and how far the clock moves first. */
export interface Step {
  readonly intent: Intent;
  readonly actor: ModelActor;
  readonly smart: boolean;
  readonly advanceMs: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  intent: intentArb,
  actor: actorArb,
  smart: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  advanceMs: fc.integer({ min: 0, max: 90_000 }),
});

/** A scenario: ACME's two agreements with random levels and grants, then random steps from random actors. */
export const scenarioArb = fc
  .record({
    makerChecker: fc.boolean(),
    pageSize: fc.integer({ min: 1, max: 4 }),
    levels: fc.tuple(levelArb, levelArb),
    grants: fc.array(fc.record({ userId: fc.constantFrom(...APPROVERS), serviceId: serviceArb, level: levelArb }), { minLength: 8, maxLength: 30 }),
    uploads: fc.array(uploadIntentArb, { minLength: 1, maxLength: 6 }),
    steps: fc.array(stepArb, { minLength: 1, maxLength: 50 }),
  })
  .map(({ makerChecker, pageSize, levels, grants, uploads, steps }) => ({
    makerChecker,
    pageSize,
    steps: [
      ...SERVICES.map((serviceId, index): Step => ({
        intent: { kind: 'fixed', command: { type: 'RegisterServiceAgreement', companyId: 'ACME', serviceId, levels: levels[index]! } },
        actor: bankActor,
        smart: false,
        advanceMs: 0,
      })),
      ...grants.map((grant): Step => ({ intent: { kind: 'fixed', command: { type: 'GrantApprover', companyId: 'ACME', ...grant } }, actor: bankActor, smart: false, advanceMs: 0 })),
      ...uploads.map((intent): Step => ({ intent, actor: userActor('u1'), smart: true, advanceMs: 1000 })),
      ...steps,
    ],
  }));

const appliesIn: Record<'DeleteOrder' | 'MarkOrderExecuted' | 'ApproveOrders' | 'RevokeOrders', Status> = {
  DeleteOrder: 'pending-approval',
  ApproveOrders: 'pending-approval',
  RevokeOrders: 'approved',
  MarkOrderExecuted: 'approved',
};

/** Turns an intent into a concrete command against the model's current orders. */
export const resolveCommand = (intent: Intent, model: ReferenceModel): ModelCommand => {
  if (intent.kind === 'fixed') return intent.command;
  const all = [...model.orders.values()].sort((a, b) => a.seq - b.seq);
  const focused = all.filter((order) => order.status === appliesIn[intent.type]);
  const pool = (intent.focus && focused.length > 0 ? focused : all).map((order) => order.orderId);
  const at = (pick: number): string => intent.stray ?? pool[pick % pool.length] ?? 'o1';
  if (intent.kind === 'single') {
    const orderId = at(intent.pick);
    return intent.type === 'MarkOrderExecuted' ? { type: intent.type, companyId: model.anyOrder(orderId)?.companyId ?? 'ACME', orderId } : { type: intent.type, orderId };
  }
  return { type: intent.type, orderIds: [...new Set(intent.picks.map(at))] };
};

/** Someone entitled to send `command` now, when `smart` and there is one; the step's own actor otherwise. */
export const resolveActor = (step: Step, command: ModelCommand, model: ReferenceModel): ModelActor => {
  if (!step.smart) return step.actor;
  const users = APPROVERS.map(userActor);
  switch (command.type) {
    case 'RegisterServiceAgreement':
    case 'GrantApprover':
    case 'RevokeApprover':
    case 'MarkOrderExecuted':
      return bankActor;
    case 'UploadOrder':
      return step.actor.kind === 'user' && step.actor.companyId === command.companyId ? step.actor : (users.find((user) => user.companyId === command.companyId) ?? step.actor);
    case 'DeleteOrder': {
      const order = model.anyOrder(command.orderId);
      return order === undefined ? step.actor : userActor(order.uploader);
    }
    case 'ApproveOrders': {
      const order = model.anyOrder(command.orderIds[0]!);
      if (order === undefined) return step.actor;
      return users.find((user) => model.canApprove(order, user.userId)) ?? step.actor;
    }
    case 'RevokeOrders': {
      const order = model.anyOrder(command.orderIds[0]!);
      if (order === undefined) return step.actor;
      return users.find((user) => model.grantsOf(order.companyId, order.serviceId, user.userId).length > 0) ?? userActor('adm');
    }
  }
};
