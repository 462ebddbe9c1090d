import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { ActorFacts } from '../../src/domain/actor/actor-facts.js';
import type { AgreementState } from '../../src/domain/agreement/state.js';
import type { OrderCommand } from '../../src/domain/order/decide.js';
import { orderDecider } from '../../src/domain/order/decide.js';
import type { Order, OrderState } from '../../src/domain/order/state.js';
import { orderStatuses } from '../../src/domain/order/status.js';
import type { OrderCommandType, OrderStatusOrNone } from '../../src/domain/order/transitions.js';
import { orderTransitionDiagram, orderTransitions, transitionsFrom } from '../../src/domain/order/transitions.js';
import { bank, grant, PureWorld, register, unwrap, upload, user } from './fixtures.js';

const commandTypes: readonly OrderCommandType[] = ['UploadOrder', 'DeleteOrder', 'ApproveOrders', 'RevokeOrders', 'MarkOrderExecuted'];

describe('order transition table', () => {
  it('is exactly the design table', () => {
    expect(orderTransitions.map((t) => `${t.from} --${t.command}--> ${t.to}${t.when === undefined ? '' : ` (${t.when})`}`)).toEqual([
      'none --UploadOrder--> pending-approval',
      'pending-approval --DeleteOrder--> deleted',
      'pending-approval --ApproveOrders--> pending-approval (levels remain)',
      'pending-approval --ApproveOrders--> approved (last level)',
      'approved --RevokeOrders--> revoked',
      'approved --MarkOrderExecuted--> executed',
    ]);
    expect(Object.isFrozen(orderTransitions)).toBe(true);
  });

  it('decide allows exactly the listed pairs, and names state and command otherwise', () => {
    // A fully entitled actor for every command, so only the table can refuse.
    const world = new PureWorld();
    unwrap(world.onAgreement(register(2)));
    unwrap(world.onAgreement(grant('boss', 1)));
    unwrap(world.onAgreement(grant('boss', 2)));
    const agreement: AgreementState = world.agreement('ACME', 'PAGOS');
    unwrap(world.onOrder(upload({ orderId: 'o1' }), user('up')));
    const pending = world.order('o1') as Order;
    const states: Record<OrderStatusOrNone, OrderState> = {
      none: { status: 'none' },
      'pending-approval': pending,
      approved: { ...pending, status: 'approved', approvals: [{ level: 1, userId: 'a', at: '' }, { level: 2, userId: 'b', at: '' }] },
      executed: { ...pending, status: 'executed' },
      deleted: { ...pending, status: 'deleted' },
      revoked: { ...pending, status: 'revoked' },
    };
    const command = (type: OrderCommandType): OrderCommand => (type === 'UploadOrder' ? upload({ orderId: 'o1' }) : type === 'MarkOrderExecuted' ? { type, companyId: 'ACME', orderId: 'o1' } : { type, orderId: 'o1' });
    const actorFor = (type: OrderCommandType): ActorFacts => (type === 'MarkOrderExecuted' ? bank : type === 'UploadOrder' ? user('up') : user('boss', { admin: true }));
    let allowed = 0;
    for (const from of ['none', ...orderStatuses] as const) {
      for (const type of commandTypes) {
        const result = orderDecider.decide(command(type), states[from], { actor: actorFor(type), now: 0, agreement, makerChecker: true });
        const listed = transitionsFrom(from, type);
        if (listed.length === 0) {
          // An order that does not exist is not found rather than in a wrong state.
          expect(E.isLeft(result) && result.left).toMatchObject(from === 'none' ? { code: 'NOT_FOUND', entity: 'order' } : { code: 'INVALID_TRANSITION', from, command: type });
          continue;
        }
        allowed++;
        const to = unwrap(result).reduce(orderDecider.evolve, states[from]).status;
        expect(listed.map((t) => t.to)).toContain(to);
      }
    }
    expect(allowed).toBe(5);
  });

  it('draws as a Mermaid state diagram with the final states marked', () => {
    const diagram = orderTransitionDiagram();
    expect(diagram.split('\n')[0]).toBe('stateDiagram-v2');
    expect(diagram).toContain('state "pending-approval" as pending_approval');
    expect(diagram).toContain('[*] --> pending_approval: UploadOrder');
    expect(diagram).toContain('pending_approval --> approved: ApproveOrders (last level)');
    // Mermaid ids may not contain a dash outside the declared labels.
    for (const line of diagram.split('\n').filter((text) => text.includes('-->'))) expect(line.split(':')[0]).not.toMatch(/\w-\w/);
    for (const final of ['executed', 'deleted', 'revoked']) expect(diagram).toContain(`${final} --> [*]`);
    expect(diagram).not.toContain('approved --> [*]');
  });
});
