import type { KeyProvider } from './key-provider.js';
import type { SecretVaultError } from './secret-vault-error.js';

/** A key provider set up wrong: every call rejects with the one error that says why. */
export const rejectingKeyProvider = (error: SecretVaultError): KeyProvider => {
  const fail = (): Promise<never> => Promise.reject(error);
  return { currentKeyId: fail, knownKeyIds: fail, wrap: fail, unwrap: fail };
};
