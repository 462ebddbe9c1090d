/**
 * Why a vault or a key provider refused: a code to branch on, and a message that names at most a
 * reference or a key id, never a secret, a key or a ciphertext.
 *
 * - `InvalidInput`: a reference that is not a non-empty storable string, a secret that is not bytes.
 * - `InvalidKey`: a key-encryption key the host passed is unusable (wrong length, duplicate id).
 * - `UnknownKey`: a secret is wrapped under a key id the key provider does not know (retired?).
 * - `Tampered`: a ciphertext or wrapped data key does not authenticate for its reference: it was
 *   changed, or moved or copied from another reference. It is refused, never decrypted.
 * - `KeyProviderFailed`: the key provider (an HSM, a KMS) failed for another reason.
 * - `Unavailable`: the vault's storage failed (its database answered an error or nothing).
 */
export type SecretVaultErrorCode = 'InvalidInput' | 'InvalidKey' | 'UnknownKey' | 'Tampered' | 'KeyProviderFailed' | 'Unavailable';

/** What a vault or key provider throws or rejects with (the SDK turns it into an `Infrastructure` error). */
export class SecretVaultError extends Error {
  override readonly name = 'SecretVaultError';
  readonly code: SecretVaultErrorCode;

  constructor(code: SecretVaultErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Whether `value` is a {@link SecretVaultError}, optionally of one code. */
export const isSecretVaultError = (value: unknown, code?: SecretVaultErrorCode): value is SecretVaultError =>
  value instanceof SecretVaultError && (code === undefined || value.code === code);
