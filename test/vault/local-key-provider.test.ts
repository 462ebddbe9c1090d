import { describe, expect, it } from 'vitest';
import { localKeyId, localKeyProvider } from '../../src/postgres/local-key-provider.js';
import { SecretVaultError } from '../../src/ports/secret-vault-error.js';

const keyBytes = (fill: number): Uint8Array => Uint8Array.from({ length: 32 }, (_, index) => (fill + index * 7) % 256);
const context = (text: string): Uint8Array => new TextEncoder().encode(text);
const dataKey = Uint8Array.from({ length: 32 }, (_, index) => 255 - index);

const rejection = async (promise: unknown): Promise<SecretVaultError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SecretVaultError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
};

describe('localKeyProvider', () => {
  it('wraps under the first key and unwraps with the same context; the wrapped bytes hide the data key', async () => {
    const keys = localKeyProvider([{ key: keyBytes(1) }, { key: keyBytes(2), id: 'old' }]);
    expect(await keys.currentKeyId()).toBe(localKeyId(keyBytes(1)));
    expect(await keys.knownKeyIds()).toEqual([localKeyId(keyBytes(1)), 'old']);
    const wrapped = await keys.wrap(dataKey, context('ref-a'));
    expect(wrapped.keyId).toBe(localKeyId(keyBytes(1)));
    expect(Buffer.from(wrapped.wrapped).includes(Buffer.from(dataKey.subarray(0, 8)))).toBe(false);
    expect(await keys.unwrap(wrapped, context('ref-a'))).toEqual(dataKey);
  });

  it('derives a stable id from the key bytes, different per key, and keeps working when the host zeroes its bytes', async () => {
    expect(localKeyId(keyBytes(1))).toMatch(/^local-[0-9a-f]{16}$/);
    expect(localKeyId(keyBytes(1))).toBe(localKeyId(keyBytes(1)));
    expect(localKeyId(keyBytes(1))).not.toBe(localKeyId(keyBytes(2)));
    const bytes = keyBytes(3);
    const keys = localKeyProvider([{ key: bytes }]);
    bytes.fill(0);
    const wrapped = await keys.wrap(dataKey, context('ref'));
    // A provider on the same key (restarted process) unwraps it; one on another key does not know the id.
    expect(await localKeyProvider([{ key: keyBytes(3) }]).unwrap(wrapped, context('ref'))).toEqual(dataKey);
    expect(await rejection(localKeyProvider([{ key: keyBytes(4) }]).unwrap(wrapped, context('ref')))).toMatchObject({ code: 'UnknownKey' });
  });

  it('refuses another context, a changed byte, or another key under the same id, as Tampered, naming no key', async () => {
    const keys = localKeyProvider([{ key: keyBytes(5), id: 'k1' }]);
    const wrapped = await keys.wrap(dataKey, context('ref-a'));
    const refusals = [await rejection(keys.unwrap(wrapped, context('ref-b')))];
    for (let index = 0; index < wrapped.wrapped.length; index++) {
      const changed = Uint8Array.from(wrapped.wrapped);
      changed[index] = (changed[index] ?? 0) ^ 1;
      refusals.push(await rejection(keys.unwrap({ keyId: 'k1', wrapped: changed }, context('ref-a'))));
    }
    refusals.push(await rejection(localKeyProvider([{ key: keyBytes(6), id: 'k1' }]).unwrap(wrapped, context('ref-a'))));
    for (const refusal of refusals) {
      expect(refusal.code).toBe('Tampered');
      expect(refusal.message).not.toMatch(/[0-9a-f]{32}/i);
    }
  });

  it('rejects every call, naming the field, for no key, a short key, a bad id or a duplicate id', async () => {
    const cases = [
      [localKeyProvider([]), /at least one key/],
      [localKeyProvider([{ key: new Uint8Array(16) }]), /keys\[0\]\.key: must be 32 bytes/],
      [localKeyProvider([{ key: keyBytes(1) }, { key: keyBytes(2), id: 'has space' }]), /keys\[1\]\.id/],
      [localKeyProvider([{ key: keyBytes(1), id: 'a' }, { key: keyBytes(2), id: 'a' }]), /keys\[1\]\.id: a is given twice/],
    ] as const;
    for (const [keys, message] of cases) {
      const error = await rejection(keys.wrap(dataKey, context('ref')));
      expect(error).toMatchObject({ code: 'InvalidKey', message: expect.stringMatching(message) as unknown });
      expect(await rejection(keys.currentKeyId())).toBe(error);
    }
  });
});
