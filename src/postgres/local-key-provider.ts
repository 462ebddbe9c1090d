import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { AES_KEY_BYTES, importAesKey, open, seal } from './aes-gcm.js';
import type { AesKey } from './aes-gcm.js';
import { isKeyId } from '../ports/key-provider.js';
import type { KeyProvider } from '../ports/key-provider.js';
import { rejectingKeyProvider } from '../ports/rejecting-key-provider.js';
import { SecretVaultError } from '../ports/secret-vault-error.js';

/** One key-encryption key the host passes: 32 random bytes, and optionally its id. */
export interface LocalKey {
  /** The key: exactly 32 bytes (AES-256). Copied: the host may zero its own bytes afterwards. */
  readonly key: Uint8Array;
  /** Its id, as stored beside every data key it wraps (default: derived from the key: `local-` and 16 hex digits of a SHA-256 over a fixed prefix and the key). */
  readonly id?: string;
}

/**
 * The id derived from a key's bytes: `local-` and 16 hex digits of a domain-separated SHA-256. A
 * hash of a 256-bit random key says nothing about the key; the same bytes always give the same id,
 * so restarting with the same key finds the secrets it wrapped.
 */
export const localKeyId = (key: Uint8Array): string => {
  const prefix = utf8ToBytes('softtoken-sdk/local-kek-id/v1\0');
  const input = new Uint8Array(prefix.length + key.length);
  input.set(prefix);
  input.set(key, prefix.length);
  const id = `local-${bytesToHex(sha256(input)).slice(0, 16)}`;
  input.fill(0);
  return id;
};

/** The answer of a synchronous call as a promise: its value, or a rejection with what it threw. */
const settle = <A>(call: () => A): Promise<A> => {
  try {
    return Promise.resolve(call());
  } catch (cause) {
    return Promise.reject(cause instanceof Error ? cause : new Error(String(cause)));
  }
};

/**
 * A {@link KeyProvider} over key-encryption keys the host passes as bytes, for development and
 * tests (in production the KEK belongs in an HSM or a KMS, where no process can read it). The
 * FIRST key is current: it wraps new data keys; the others only unwrap, which is how a rotation
 * starts (`[newKey, oldKey]`, then `rotate()`, then drop the old key). Wrapping is AES-256-GCM
 * with the context as associated data. Bad keys make every call reject with `InvalidKey`.
 */
export const localKeyProvider = (keys: readonly LocalKey[]): KeyProvider => {
  const entries: { readonly id: string; readonly key: AesKey }[] = [];
  const seen = new Set<string>();
  const given: unknown = keys;
  if (!Array.isArray(given) || keys.length === 0) return rejectingKeyProvider(new SecretVaultError('InvalidKey', 'local keys: pass at least one key'));
  for (const [index, entry] of keys.entries()) {
    const raw = (entry as Partial<LocalKey> | undefined)?.key;
    if (!(raw instanceof Uint8Array) || raw.length !== AES_KEY_BYTES) {
      return rejectingKeyProvider(new SecretVaultError('InvalidKey', `local keys[${String(index)}].key: must be ${String(AES_KEY_BYTES)} bytes (a Uint8Array)`));
    }
    const id = entry.id ?? localKeyId(raw);
    if (!isKeyId(id)) {
      return rejectingKeyProvider(new SecretVaultError('InvalidKey', `local keys[${String(index)}].id: must be 1-64 letters, digits or . _ : -`));
    }
    if (seen.has(id)) return rejectingKeyProvider(new SecretVaultError('InvalidKey', `local keys[${String(index)}].id: ${id} is given twice`));
    seen.add(id);
    // The key object holds its own copy inside OpenSSL: the host may zero its bytes afterwards.
    entries.push({ id, key: importAesKey(raw) });
  }
  const current = entries[0] as (typeof entries)[number];
  const ids = entries.map((entry) => entry.id);
  return {
    currentKeyId: () => current.id,
    knownKeyIds: () => ids,
    // Synchronous ciphers behind promises: the port's callers await either, and a failure rejects.
    wrap: (dataKey, context) => settle(() => ({ keyId: current.id, wrapped: seal(current.key, dataKey, context) })),
    unwrap: ({ keyId, wrapped }, context) =>
      settle(() => {
        const entry = entries.find((candidate) => candidate.id === keyId);
        if (entry === undefined) throw new SecretVaultError('UnknownKey', `no local key has the id ${keyId}`);
        const dataKey = open(entry.key, wrapped, context);
        if (dataKey === undefined) throw new SecretVaultError('Tampered', `a data key wrapped under ${keyId} does not authenticate for its context`);
        return dataKey;
      }),
  };
};
