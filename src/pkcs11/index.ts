/**
 * softtoken-sdk/pkcs11: a `KeyProvider` whose key-encryption keys stay inside an HSM, reached
 * through PKCS#11, for `postgresSecretVault` (or any envelope-encrypting vault). Needs the optional
 * peer dependency `pkcs11js` (a native addon), which is why it is an entry point of its own:
 * importing `softtoken-sdk/postgres` never loads it.
 *
 * @packageDocumentation
 */
export { pkcs11KeyProvider } from './key-provider.js';
export type { Pkcs11KeyProvider, Pkcs11KeyProviderOptions } from './key-provider.js';
export type { KeyProvider, WrappedKey } from '../ports/key-provider.js';
export { SecretVaultError, isSecretVaultError } from '../ports/secret-vault-error.js';
export type { SecretVaultErrorCode } from '../ports/secret-vault-error.js';
