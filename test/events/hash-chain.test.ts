import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/events/canonical-json.js';
import type { JsonObject, JsonValue } from '../../src/events/envelope.js';
import type { HashedFields } from '../../src/events/hash-chain.js';
import { canonicalEnvelope, hashEvent, sealEvent } from '../../src/events/hash-chain.js';

const json = fc.jsonValue({ noUnicodeString: false }) as fc.Arbitrary<JsonValue>;
const jsonObject = fc.dictionary(fc.string({ unit: 'grapheme' }), json) as fc.Arbitrary<JsonObject>;

const envelope: fc.Arbitrary<HashedFields> = fc.record({
  eventId: fc.uuid(),
  streamId: fc.string({ unit: 'grapheme', minLength: 1 }),
  streamVersion: fc.integer({ min: 1 }),
  globalPosition: fc.integer({ min: 1 }),
  type: fc.string({ minLength: 1 }),
  schemaVersion: fc.integer({ min: 1, max: 20 }),
  data: jsonObject,
  metadata: fc.record({
    commandId: fc.string({ minLength: 1 }),
    correlationId: fc.string(),
    causationId: fc.string(),
    actor: fc.oneof(
      fc.record({ kind: fc.constant('user' as const), companyId: fc.string(), userId: fc.string() }),
      fc.record({ kind: fc.constant('bank' as const), operatorId: fc.string() }),
      fc.constant({ kind: 'system' as const }),
    ),
    occurredAt: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  }),
  prevHash: fc.stringMatching(/^[0-9a-f]{64}$/),
});

/** The definition, written the slow and obvious way. */
const referenceHash = (event: HashedFields): string =>
  bytesToHex(
    sha256(
      utf8ToBytes(
        canonicalJson({
          streamId: event.streamId,
          streamVersion: event.streamVersion,
          globalPosition: event.globalPosition,
          eventId: event.eventId,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: event.metadata as unknown as JsonValue,
          prevHash: event.prevHash,
        }),
      ),
    ),
  );

describe('hash chain', () => {
  it('hashEvent is SHA-256 over the canonical JSON of every field but the hash', () => {
    fc.assert(
      fc.property(envelope, (event) => {
        expect(hashEvent(event)).toBe(referenceHash(event));
      }),
      { numRuns: 1000 },
    );
  });

  it('handles payloads larger than its scratch buffer and multi-byte text', () => {
    const base: HashedFields = {
      eventId: 'e',
      streamId: 's',
      streamVersion: 1,
      globalPosition: 1,
      type: 't',
      schemaVersion: 1,
      data: { blob: '€🧾'.repeat(50_000) },
      metadata: { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { kind: 'system' }, occurredAt: '2025-01-01T00:00:00.000Z' },
      prevHash: '0'.repeat(64),
    };
    expect(hashEvent(base)).toBe(referenceHash(base));
    expect(hashEvent({ ...base, data: { small: 'é' } })).toBe(referenceHash({ ...base, data: { small: 'é' } }));
  });

  it('the canonical envelope lists fields in sorted order and ignores fields outside the envelope', () => {
    const event = { eventId: 'e', streamId: 's', streamVersion: 2, globalPosition: 9, type: 't', schemaVersion: 1, data: { b: 1, a: 2 }, metadata: { commandId: 'c' }, prevHash: 'p', hash: 'ignored' };
    expect(canonicalEnvelope(event as unknown as HashedFields)).toBe(
      '{"data":{"a":2,"b":1},"eventId":"e","globalPosition":9,"metadata":{"commandId":"c"},"prevHash":"p","schemaVersion":1,"streamId":"s","streamVersion":2,"type":"t"}',
    );
  });

  it('sealEvent adds the hash and keeps every other field', () => {
    fc.assert(
      fc.property(envelope, (event) => {
        const sealed = sealEvent(event);
        expect(sealed).toEqual({ ...event, hash: referenceHash(event) });
      }),
      { numRuns: 200 },
    );
  });
});
