import { describe, expect, it } from 'vitest';
import type { OrderOutcome } from '../../src/domain/order/effects.js';
import { orderCommandWrites } from '../../src/domain/order/writes.js';

const fp = 'a'.repeat(64);
const versions = { order: (orderId: string) => (orderId === 'new' ? 0 : 7), agreement: () => 12 };
const outcome = (orderId: string, orderEvents: OrderOutcome['orderEvents'], agreementEvents: OrderOutcome['agreementEvents'], serviceId = 'S1'): OrderOutcome => ({
  orderId,
  companyId: 'ACME',
  serviceId,
  orderEvents,
  agreementEvents,
});
const approved = (orderId: string): OrderOutcome['orderEvents'] => [{ type: 'OrderApproved', data: { orderId, companyId: 'ACME', approvedAt: 'x' } }];

describe('order command writes', () => {
  it('guards each order stream at its loaded version; approvals touch no agreement', () => {
    expect(orderCommandWrites([outcome('o1', approved('o1'), []), outcome('o2', approved('o2'), [])], versions)).toEqual([
      { streamId: 'order-o1', expectedVersion: 7, events: approved('o1') },
      { streamId: 'order-o2', expectedVersion: 7, events: approved('o2') },
    ]);
  });

  it('an upload guards its agreement at the loaded version (the duplicate check read it)', () => {
    const writes = orderCommandWrites([outcome('new', approved('new'), [{ type: 'OrderFingerprintRecorded', data: { orderId: 'new', fingerprint: fp } }])], versions);
    expect(writes.map((write) => [write.streamId, write.expectedVersion])).toEqual([
      ['order-new', 0],
      ['agreement-ACME-S1', 12],
    ]);
  });

  it('releases from several orders of one agreement go in one write, without a version guard', () => {
    const release = (orderId: string) => [{ type: 'OrderFingerprintReleased' as const, data: { orderId, fingerprint: fp } }];
    const writes = orderCommandWrites(
      [outcome('o1', approved('o1'), release('o1')), outcome('o2', approved('o2'), release('o2')), outcome('o3', approved('o3'), release('o3'), 'S2')],
      versions,
    );
    expect(writes.map((write) => [write.streamId, write.expectedVersion, write.events.length])).toEqual([
      ['order-o1', 7, 1],
      ['order-o2', 7, 1],
      ['order-o3', 7, 1],
      ['agreement-ACME-S1', 'any', 2],
      ['agreement-ACME-S2', 'any', 1],
    ]);
  });

  it('writes nothing for an outcome without events', () => {
    expect(orderCommandWrites([outcome('o1', [], [])], versions)).toEqual([]);
  });
});
