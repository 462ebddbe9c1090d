/**
 * One set of codec primitives for both domains (issue 12): the bounded string refuses control
 * characters everywhere, and the one timestamp accepts every string `toISOString` writes, so no
 * stored event stamped by a clock is refused on reading.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedString, IsoTimestamp } from '../../src/events/codecs.js';
import { commandIdCodec } from '../../src/events/command-envelope.js';
import { orderEventCodecs } from '../../src/domain/order/events.js';
import { tokenEventCodecs } from '../../src/domain/token/events.js';

const MAX_DATE_MS = 8.64e15;

describe('IsoTimestamp', () => {
  it('accepts every instant toISOString writes, extended years included', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_DATE_MS, max: MAX_DATE_MS }), (ms) => {
        expect(IsoTimestamp.is(new Date(ms).toISOString())).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses what no clock writes', () => {
    for (const text of ['', '2025-01-31', '2025-01-31T14:05:00Z', '2025-01-31T14:05:00.000+01:00', '2025-13-01T00:00:00.000Z', 'yesterday']) {
      expect(IsoTimestamp.is(text)).toBe(false);
    }
  });

  it('is the timestamp of order events and token events alike', () => {
    const approved = { orderId: 'o-1', companyId: 'c-1', approvedAt: 'not a time' };
    expect(orderEventCodecs.OrderApproved.decode(approved)._tag).toBe('Left');
    expect(orderEventCodecs.OrderApproved.decode({ ...approved, approvedAt: '2025-01-31T14:05:00.000Z' })._tag).toBe('Right');
    const locked = { reason: 'otp-failures', failures: 5, unlocksAt: '+010000-01-01T00:00:00.000Z' };
    expect(tokenEventCodecs.TokenLocked.decode(locked)._tag).toBe('Right');
  });
});

describe('boundedString', () => {
  it('refuses control characters, in commands as in events', () => {
    expect(boundedString(16).is('line\nbreak')).toBe(false);
    expect(commandIdCodec.is('cmd\u0000-1')).toBe(false);
    expect(commandIdCodec.is('cmd-1')).toBe(true);
  });
});
