import type { SecretVault } from './secret-vault.js';

/**
 * A `SecretVault` in process memory, for tests, the demo and single-process tools. It keeps its
 * own copy of every secret and hands out copies, so nothing a caller does to its bytes reaches
 * the stored ones; `destroy` zero-fills the stored copy before forgetting it. Not for production:
 * the secrets die with the process and sit in its heap in clear.
 */
export const inMemorySecretVault = (): SecretVault => {
  const secrets = new Map<string, Uint8Array>();
  const forget = (ref: string): void => {
    secrets.get(ref)?.fill(0);
    secrets.delete(ref);
  };
  return {
    put: (ref, secret) => {
      forget(ref);
      secrets.set(ref, Uint8Array.from(secret));
    },
    get: (ref) => {
      const secret = secrets.get(ref);
      return secret === undefined ? undefined : Uint8Array.from(secret);
    },
    destroy: forget,
  };
};
