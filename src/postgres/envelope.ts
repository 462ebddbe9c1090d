import { utf8ToBytes } from '@noble/hashes/utils.js';
import { open, randomAesKeyBytes, seal } from './aes-gcm.js';
import type { KeyProvider, WrappedKey } from '../ports/key-provider.js';
import { SecretVaultError } from '../ports/secret-vault-error.js';

/** How rows are sealed today (stored in each row; a row of another format is refused). */
export const ENVELOPE_FORMAT = 1;

/** A secret sealed for storage: the data key wrapped by the key provider, the secret under the data key. */
export interface Envelope {
  readonly keyId: string;
  readonly wrappedKey: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/**
 * The associated data of a row's two boxes. Both name the format, the box's role and the
 * reference, so a ciphertext or wrapped key copied to another reference, or swapped between the
 * roles, does not authenticate. The reference names the kind of secret (`seed-…`,
 * `activation-code-…`), so it is bound too. The key id is bound by the KEK itself: only the key
 * that wrapped a data key unwraps it.
 */
const associatedData = (role: 'secret' | 'data-key', ref: string): Uint8Array =>
  utf8ToBytes(`softtoken-sdk/secret-vault/v${String(ENVELOPE_FORMAT)}\u0000${role}\u0000${ref}`);

export const dataKeyContext = (ref: string): Uint8Array => associatedData('data-key', ref);

/** Turns whatever a key provider threw into a `SecretVaultError` that quotes nothing it said. */
export const providerFailure =
  (operation: string) =>
  (cause: unknown): SecretVaultError =>
    cause instanceof SecretVaultError ? cause : new SecretVaultError('KeyProviderFailed', `key provider: ${operation} failed (${cause instanceof Error ? cause.name : typeof cause})`);

const wrapKey = async (keys: KeyProvider, dataKey: Uint8Array, ref: string): Promise<WrappedKey> => {
  try {
    return await keys.wrap(dataKey, dataKeyContext(ref));
  } catch (cause) {
    throw providerFailure('wrap')(cause);
  }
};

/** The data key of an envelope; `Tampered`/`UnknownKey` when it does not unwrap for `ref`. */
export const unwrapKey = async (keys: KeyProvider, ref: string, wrapped: WrappedKey): Promise<Uint8Array> => {
  try {
    return await keys.unwrap(wrapped, dataKeyContext(ref));
  } catch (cause) {
    const error = providerFailure('unwrap')(cause);
    // Say which reference; the provider could not know it.
    throw error.code === 'Tampered' ? tampered(ref) : error;
  }
};

const tampered = (ref: string): SecretVaultError =>
  new SecretVaultError('Tampered', `the secret vault refused the row of ${ref}: its wrapped key or ciphertext does not authenticate for this reference (changed, moved or swapped)`);

/** Seals `secret` for `ref` under a fresh data key, wrapped by the provider's current key. The data key is zero-filled after use. */
export const sealSecret = async (keys: KeyProvider, ref: string, secret: Uint8Array): Promise<Envelope> => {
  const dataKey = randomAesKeyBytes();
  try {
    const ciphertext = seal(dataKey, secret, associatedData('secret', ref));
    const wrapped = await wrapKey(keys, dataKey, ref);
    return { keyId: wrapped.keyId, wrappedKey: wrapped.wrapped, ciphertext };
  } finally {
    dataKey.fill(0);
  }
};

/** The secret of an envelope stored under `ref`; refused (`Tampered`) unless both boxes authenticate for `ref`. */
export const openSecret = async (keys: KeyProvider, ref: string, envelope: Envelope): Promise<Uint8Array> => {
  const dataKey = await unwrapKey(keys, ref, { keyId: envelope.keyId, wrapped: envelope.wrappedKey });
  try {
    if (dataKey.length !== 32) throw tampered(ref);
    const secret = open(dataKey, envelope.ciphertext, associatedData('secret', ref));
    if (secret === undefined) throw tampered(ref);
    return secret;
  } finally {
    dataKey.fill(0);
  }
};

/** The envelope's data key re-wrapped under the provider's current key, for `ref`; the secret is never decrypted. */
export const rewrapSecret = async (keys: KeyProvider, ref: string, wrapped: WrappedKey): Promise<WrappedKey> => {
  const dataKey = await unwrapKey(keys, ref, wrapped);
  try {
    return await wrapKey(keys, dataKey, ref);
  } finally {
    dataKey.fill(0);
  }
};
