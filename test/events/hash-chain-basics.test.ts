import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/events/envelope.js';
import { hashEvent, sealEvent, type HashedFields } from '../../src/events/hash-chain.js';

const first: HashedFields = {
  streamId: 'token-ST1',
  streamVersion: 1,
  globalPosition: 7,
  eventId: '0190a0f0-0000-7000-8000-000000000001',
  type: 'TokenRequested',
  schemaVersion: 1,
  data: { serial: 'ST1', note: 'ñandú ✓' },
  metadata: {
    commandId: 'c1',
    correlationId: 'c1',
    causationId: 'c1',
    actor: { kind: 'user', companyId: 'acme', userId: 'ana' },
    occurredAt: '2026-01-01T00:00:00.000Z',
  },
  prevHash: GENESIS_HASH,
};

describe('the hash chain', () => {
  it('is SHA-256 over the canonical JSON of every field but the hash', () => {
    const canonical =
      '{"data":{"note":"ñandú ✓","serial":"ST1"},"eventId":"0190a0f0-0000-7000-8000-000000000001","globalPosition":7,' +
      '"metadata":{"actor":{"companyId":"acme","kind":"user","userId":"ana"},"causationId":"c1","commandId":"c1",' +
      '"correlationId":"c1","occurredAt":"2026-01-01T00:00:00.000Z"},"prevHash":"' +
      GENESIS_HASH +
      '","schemaVersion":1,"streamId":"token-ST1","streamVersion":1,"type":"TokenRequested"}';
    expect(hashEvent(first)).toBe(bytesToHex(sha256(utf8ToBytes(canonical))));
  });

  it('seals an event with its own hash and links the next one to it', () => {
    const sealed = sealEvent(first);
    expect(sealed.hash).toMatch(/^[0-9a-f]{64}$/);
    const second = sealEvent({ ...first, streamVersion: 2, globalPosition: 9, prevHash: sealed.hash });
    expect(second.prevHash).toBe(sealed.hash);
    expect(second.hash).not.toBe(sealed.hash);
  });

  it('changes when any field changes', () => {
    const base = hashEvent(first);
    const variants: HashedFields[] = [
      { ...first, streamId: 'token-ST2' },
      { ...first, streamVersion: 2 },
      { ...first, globalPosition: 8 },
      { ...first, eventId: '0190a0f0-0000-7000-8000-000000000002' },
      { ...first, type: 'TokenAssigned' },
      { ...first, schemaVersion: 2 },
      { ...first, data: { serial: 'ST1', note: 'ñandu ✓' } },
      { ...first, metadata: { ...first.metadata, occurredAt: '2026-01-01T00:00:00.001Z' } },
      { ...first, prevHash: '1'.repeat(64) },
    ];
    for (const variant of variants) expect(hashEvent(variant)).not.toBe(base);
  });
});
