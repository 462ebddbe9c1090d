import { describe, expect, it } from 'vitest';
import type { OrderOutcome } from '../../src/domain/order/effects.js';
import type { LoadedVersions } from '../../src/domain/order/writes.js';
import { orderCommandWrites } from '../../src/domain/order/writes.js';

const fp = 'a'.repeat(64);
const index = `duplicate-index-ACME-S1-${fp}`;
const versions: LoadedVersions = {
  order: (orderId) =>
    orderId === 'old'
      ? { streamId: 'order-old', version: 4, legacy: true }
      : { streamId: `payment-order-ACME-${orderId}`, version: orderId === 'new' ? 0 : 7, legacy: false },
  duplicateIndex: (streamId) => (streamId === index ? 12 : 0),
};
const outcome = (orderId: string, orderEvents: OrderOutcome['orderEvents'], indexEvents: OrderOutcome['indexEvents'], serviceId = 'S1'): OrderOutcome => ({
  orderId,
  companyId: 'ACME',
  serviceId,
  orderEvents,
  indexEvents,
});
const approved = (orderId: string): OrderOutcome['orderEvents'] => [{ type: 'OrderApproved', data: { orderId, companyId: 'ACME', approvedAt: 'x' } }];

describe('order command writes', () => {
  it('guards each order stream at its loaded version; approvals touch no index', () => {
    expect(orderCommandWrites([outcome('o1', approved('o1'), []), outcome('o2', approved('o2'), [])], versions)).toEqual([
      { streamId: 'payment-order-ACME-o1', expectedVersion: 7, events: approved('o1') },
      { streamId: 'payment-order-ACME-o2', expectedVersion: 7, events: approved('o2') },
    ]);
  });

  it('an upload guards the duplicate index of its content at the loaded version (the duplicate check read it), not the agreement', () => {
    const writes = orderCommandWrites([outcome('new', approved('new'), [{ type: 'OrderFingerprintRecorded', data: { orderId: 'new', fingerprint: fp } }])], versions);
    expect(writes.map((write) => [write.streamId, write.expectedVersion])).toEqual([
      ['payment-order-ACME-new', 0],
      [index, 12],
    ]);
  });

  it('releases from several orders of one content go in one write, without a version guard; a 0.1 order releases in its agreement', () => {
    const release = (orderId: string) => [{ type: 'OrderFingerprintReleased' as const, data: { orderId, fingerprint: fp } }];
    const writes = orderCommandWrites(
      [outcome('o1', approved('o1'), release('o1')), outcome('o2', approved('o2'), release('o2')), outcome('o3', approved('o3'), release('o3'), 'S2'), outcome('old', approved('old'), release('old'))],
      versions,
    );
    expect(writes.map((write) => [write.streamId, write.expectedVersion, write.events.length])).toEqual([
      ['payment-order-ACME-o1', 7, 1],
      ['payment-order-ACME-o2', 7, 1],
      ['payment-order-ACME-o3', 7, 1],
      ['order-old', 4, 1],
      [index, 'any', 2],
      [`duplicate-index-ACME-S2-${fp}`, 'any', 1],
      ['agreement-ACME-S1', 'any', 1],
    ]);
  });

  it('writes nothing for an outcome without events', () => {
    expect(orderCommandWrites([outcome('o1', [], [])], versions)).toEqual([]);
  });
});
