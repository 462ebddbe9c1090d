import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkcs11KeyProvider } from '../../src/pkcs11/key-provider.js';
import type { Pkcs11KeyProvider } from '../../src/pkcs11/key-provider.js';
import { SecretVaultError } from '../../src/ports/secret-vault-error.js';
import { freshSoftHsmToken, softHsmMissing, TOKEN_LABEL, USER_PIN } from './softhsm.js';
import type { SoftHsmToken } from './softhsm.js';

const rejection = async (promise: unknown): Promise<SecretVaultError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SecretVaultError) return error;
    throw error;
  }
  throw new Error('expected a SecretVaultError, the call succeeded');
};

describe.skipIf(softHsmMissing !== undefined)(`pkcs11KeyProvider on SoftHSM2 (${softHsmMissing ?? 'a fresh token'})`, () => {
  let token: SoftHsmToken;
  const providers: Pkcs11KeyProvider[] = [];
  const provider = (keyLabels: readonly string[], pin = USER_PIN, tokenLabel = TOKEN_LABEL): Pkcs11KeyProvider => {
    const made = pkcs11KeyProvider({ library: token.library, tokenLabel, pin, keyLabels });
    providers.push(made);
    return made;
  };
  beforeAll(() => {
    token = freshSoftHsmToken();
    token.generateKey('kek-1');
    token.generateKey('kek-2');
  });
  afterAll(() => {
    for (const made of providers) made.close();
    token.remove();
  });

  const dataKey = Uint8Array.from({ length: 32 }, (_, index) => index * 7 + 1);
  const context = new TextEncoder().encode('seed-abc');

  it('wraps inside the token under the current label, and unwraps only with the same context', async () => {
    const keys = provider(['kek-1']);
    expect(await keys.currentKeyId()).toBe('kek-1');
    const wrapped = await keys.wrap(dataKey, context);
    expect(wrapped.keyId).toBe('kek-1');
    expect(wrapped.wrapped.length).toBe(12 + 32 + 16);
    expect(Buffer.from(wrapped.wrapped).includes(Buffer.from(dataKey.subarray(0, 8)))).toBe(false);
    expect(await keys.unwrap(wrapped, context)).toEqual(dataKey);
    expect(await rejection(keys.unwrap(wrapped, new TextEncoder().encode('seed-abd')))).toMatchObject({ code: 'Tampered' });
    for (let index = 0; index < wrapped.wrapped.length; index += 7) {
      const changed = Uint8Array.from(wrapped.wrapped);
      changed[index] = (changed[index] ?? 0) ^ 1;
      expect(await rejection(keys.unwrap({ keyId: 'kek-1', wrapped: changed }, context))).toMatchObject({ code: 'Tampered' });
    }
    // Two wraps of one data key differ (fresh IV each time).
    expect((await keys.wrap(dataKey, context)).wrapped).not.toEqual(wrapped.wrapped);
  });

  it('a new current label wraps new keys; the old one still unwraps; an unknown label is UnknownKey', async () => {
    const old = provider(['kek-1']);
    const wrappedOld = await old.wrap(dataKey, context);
    const rotating = provider(['kek-2', 'kek-1']);
    expect(await rotating.knownKeyIds()).toEqual(['kek-2', 'kek-1']);
    expect(await rotating.unwrap(wrappedOld, context)).toEqual(dataKey);
    const wrappedNew = await rotating.wrap(dataKey, context);
    expect(wrappedNew.keyId).toBe('kek-2');
    expect(await rejection(old.unwrap(wrappedNew, context))).toMatchObject({ code: 'UnknownKey' });
    // Under another key of the token, the bytes do not authenticate.
    expect(await rejection(rotating.unwrap({ keyId: 'kek-2', wrapped: wrappedOld.wrapped }, context))).toMatchObject({ code: 'Tampered' });
  });

  it('a bad setup rejects every call with a typed error that names the cause and never the PIN', async () => {
    // A PKCS#11 login is shared by the whole process: close the others so the wrong PIN is really tried.
    for (const made of providers.splice(0)) made.close();
    const cases: [Pkcs11KeyProvider, RegExp][] = [
      [provider(['kek-1'], '999999'), /CKR_PIN_INCORRECT/],
      [provider(['kek-1'], USER_PIN, 'no-such-token'), /no token has the label no-such-token/],
      [provider(['kek-9']), /no AES key has the label kek-9/],
      [provider([]), /keyLabels/],
      [provider(['kek-1', 'kek-1']), /kek-1 is given twice/],
      [pkcs11KeyProvider({ library: '/nonexistent/libpkcs11.so', tokenLabel: TOKEN_LABEL, pin: USER_PIN, keyLabels: ['kek-1'] }), /loading the module/],
    ];
    for (const [keys, message] of cases) {
      const error = await rejection(keys.wrap(dataKey, context));
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('999999');
      expect(error.message).not.toContain(USER_PIN);
    }
    // The good providers still work beside the bad ones.
    expect(await provider(['kek-1']).unwrap(await provider(['kek-1']).wrap(dataKey, context), context)).toEqual(dataKey);
  });

  it('after close every call rejects, and other providers of the module go on', async () => {
    const closing = provider(['kek-1']);
    const staying = provider(['kek-1']);
    const wrapped = await staying.wrap(dataKey, context);
    closing.close();
    closing.close();
    expect(await rejection(closing.unwrap(wrapped, context))).toMatchObject({ code: 'KeyProviderFailed', message: 'pkcs11: the key provider is closed' });
    expect(await staying.unwrap(wrapped, context)).toEqual(dataKey);
  });
});
