import { left, right } from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { actorCodec, bigIntFromDecimalString, boundedString, nonEmptyString } from '../../src/events/codecs.js';
import { defineEvent, eventRegistry } from '../../src/events/event-registry.js';

const otpAccepted = defineEvent({
  type: 'OtpAccepted',
  schemaVersion: 3,
  codec: t.type({ serial: nonEmptyString, step: bigIntFromDecimalString, drift: t.number, factor: t.string }),
  upcasters: {
    1: (v1) => ({ ...v1, drift: 0 }),
    2: (v2) => ({ ...v2, factor: 'totp' }),
  },
});
const tokenLocked = defineEvent({ type: 'TokenLocked', codec: t.type({ serial: t.string, failures: t.number }) });
const registry = eventRegistry([otpAccepted, tokenLocked]);

describe('event registry', () => {
  it('encodes domain events to their JSON form with the current schema version', () => {
    expect(registry.encode({ type: 'OtpAccepted', data: { serial: 'S1', step: 2n ** 70n, drift: -1, factor: 'totp' } })).toEqual(
      right({ type: 'OtpAccepted', schemaVersion: 3, data: { serial: 'S1', step: '1180591620717411303424', drift: -1, factor: 'totp' } }),
    );
    expect(registry.types).toEqual(['OtpAccepted', 'TokenLocked']);
    expect(registry.has('TokenLocked')).toBe(true);
    expect(registry.has('Nope')).toBe(false);
  });

  it('validates before writing: an invalid payload is refused, naming the field, not the value', () => {
    const invalid = registry.encode({ type: 'OtpAccepted', data: { serial: '', step: 1n, drift: 0, factor: 'totp' } });
    expect(invalid).toMatchObject({ _tag: 'Left', left: { _tag: 'Infrastructure' } });
    expect(invalid._tag === 'Left' && invalid.left.message).toBe('event OtpAccepted is invalid: serial: expected NonEmptyString');
    const notABigint = registry.encode({ type: 'OtpAccepted', data: { serial: 'S', step: 'twelve' as unknown as bigint, drift: 0, factor: 'totp' } });
    expect(notABigint).toMatchObject({ _tag: 'Left', left: { _tag: 'Infrastructure' } });
    expect(registry.encode({ type: 'Unknown', data: {} } as never)).toMatchObject({ _tag: 'Left', left: { message: 'event type Unknown is not in the event registry' } });
    const notAnObject = eventRegistry([defineEvent({ type: 'Weird', codec: t.string })]);
    expect(notAnObject.encode({ type: 'Weird', data: 'text' })).toMatchObject({ _tag: 'Left', left: { message: 'event Weird does not encode to a JSON object' } });
  });

  it('reads a stored v1 payload as the current version, through every upcaster', () => {
    expect(registry.decode({ type: 'OtpAccepted', schemaVersion: 1, data: { serial: 'S1', step: '59' } })).toEqual(
      right({ type: 'OtpAccepted', data: { serial: 'S1', step: 59n, drift: 0, factor: 'totp' } }),
    );
    expect(registry.decode({ type: 'OtpAccepted', schemaVersion: 2, data: { serial: 'S1', step: '59', drift: 1 } })).toEqual(
      right({ type: 'OtpAccepted', data: { serial: 'S1', step: 59n, drift: 1, factor: 'totp' } }),
    );
  });

  it('refuses what it cannot read: newer or nonsense versions, missing upcasters, broken payloads, unknown types', () => {
    const message = (stored: Parameters<typeof registry.decode>[0]): string => {
      const decoded = registry.decode(stored);
      return decoded._tag === 'Left' ? decoded.left.message : 'decoded';
    };
    expect(message({ type: 'OtpAccepted', schemaVersion: 4, data: {} })).toBe('stored event OtpAccepted has schema version 4; this registry reads 1 to 3');
    expect(message({ type: 'OtpAccepted', schemaVersion: 0, data: {} })).toContain('schema version 0');
    expect(message({ type: 'OtpAccepted', schemaVersion: 3, data: { serial: 'S', step: '1.5', drift: 0, factor: 'x' } })).toBe(
      'stored event OtpAccepted does not match its schema: step: expected BigIntFromDecimalString',
    );
    expect(message({ type: 'Nope', schemaVersion: 1, data: {} })).toBe('event type Nope is not in the event registry');
    const gappy = eventRegistry([defineEvent({ type: 'Gappy', schemaVersion: 3, codec: t.type({}), upcasters: { 2: (v2) => v2 } })]);
    expect(gappy.decode({ type: 'Gappy', schemaVersion: 1, data: {} })).toMatchObject({ _tag: 'Left', left: { message: 'event Gappy has no upcaster from schema version 1' } });
    const throwing = eventRegistry([
      defineEvent({
        type: 'Throwing',
        schemaVersion: 2,
        codec: t.type({}),
        upcasters: {
          1: () => {
            throw new Error('upcaster bug');
          },
        },
      }),
    ]);
    expect(throwing.decode({ type: 'Throwing', schemaVersion: 1, data: {} })).toEqual(
      left({ _tag: 'Infrastructure', code: 'INFRASTRUCTURE', message: 'stored event Throwing could not be decoded: Error thrown' }),
    );
  });

  it('a type defined twice fails loudly on every use instead of picking one', () => {
    const twice = eventRegistry([tokenLocked, defineEvent({ type: 'TokenLocked', codec: t.type({}) })]);
    expect(twice.encode({ type: 'TokenLocked', data: {} })).toMatchObject({ _tag: 'Left', left: { message: 'event type TokenLocked is defined twice in the event registry' } });
    expect(twice.decode({ type: 'TokenLocked', schemaVersion: 1, data: {} })._tag).toBe('Left');
  });

  it('a stored event whose payload is current and valid is its own decoding', () => {
    const stored = { type: 'TokenLocked', schemaVersion: 1, data: { serial: 'S', failures: 10 } };
    expect(registry.decodesAsStored(stored)).toBe(true);
    expect(registry.decode(stored)).toEqual(right(stored));
    expect(registry.decodesAsStored({ ...stored, data: { serial: 'S' } })).toBe(false);
    expect(registry.decode({ ...stored, data: { serial: 'S' } })._tag).toBe('Left');
    // A transforming codec (bigint as a string) always decodes.
    expect(registry.decodesAsStored({ type: 'OtpAccepted', schemaVersion: 3, data: { serial: 'S', step: '1', drift: 0, factor: 'totp' } })).toBe(false);
    expect(registry.decodesAsStored({ type: 'Nope', schemaVersion: 1, data: {} })).toBe(false);
    expect(otpAccepted.decodesAsIs).toBe(false);
    expect(tokenLocked.decodesAsIs).toBe(true);
  });

  it('encode then decode gives back the domain event (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.bigInt(), fc.integer(), fc.string(), (serial, step, drift, factor) => {
        const event = { type: 'OtpAccepted' as const, data: { serial, step, drift, factor } };
        const encoded = registry.encode(event);
        if (encoded._tag === 'Left') throw new Error(encoded.left.message);
        expect(registry.decode(JSON.parse(JSON.stringify(encoded.right)) as typeof encoded.right)).toEqual(right(event));
      }),
      { numRuns: 500 },
    );
  });
});

describe('codecs', () => {
  it('bigIntFromDecimalString round-trips every bigint and accepts only canonical decimals', () => {
    fc.assert(
      fc.property(fc.bigInt(), (value) => {
        expect(bigIntFromDecimalString.decode(bigIntFromDecimalString.encode(value))).toEqual(right(value));
      }),
      { numRuns: 1000 },
    );
    for (const bad of ['', '012', '1e3', ' 5', '5 ', '+5', '-0x1', '1.0', '--1', 5, null, 5n]) {
      expect(bigIntFromDecimalString.decode(bad)._tag).toBe('Left');
    }
    expect(bigIntFromDecimalString.decode('-0')).toEqual(right(0n));
    expect(bigIntFromDecimalString.is(1n)).toBe(true);
  });

  it('actorCodec accepts the three kinds and drops members it does not know', () => {
    expect(actorCodec.decode({ kind: 'user', companyId: 'c', userId: 'u', isAdmin: true })).toEqual(right({ kind: 'user', companyId: 'c', userId: 'u' }));
    expect(actorCodec.decode({ kind: 'bank', operatorId: 'op' })).toEqual(right({ kind: 'bank', operatorId: 'op' }));
    expect(actorCodec.decode({ kind: 'system', extra: 1 })).toEqual(right({ kind: 'system' }));
    for (const bad of [{ kind: 'user', companyId: '', userId: 'u' }, { kind: 'robot' }, null, 'system', { kind: 'bank', operatorId: 'x'.repeat(129) }]) {
      expect(actorCodec.decode(bad)._tag).toBe('Left');
    }
  });

  it('boundedString and nonEmptyString', () => {
    expect(boundedString(3).decode('abc')).toEqual(right('abc'));
    expect(boundedString(3).decode('abcd')._tag).toBe('Left');
    expect(boundedString(3).name).toBe('NonEmptyString(<=3)');
    expect(nonEmptyString.decode('')._tag).toBe('Left');
  });
});
