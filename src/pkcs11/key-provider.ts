// A default import: pkcs11js is CommonJS whose constants Node's ESM loader cannot list by name.
import pkcs11js from 'pkcs11js';
import { isKeyId } from '../ports/key-provider.js';
import type { KeyProvider, WrappedKey } from '../ports/key-provider.js';
import { rejectingKeyProvider } from '../ports/rejecting-key-provider.js';
import { SecretVaultError } from '../ports/secret-vault-error.js';

/** How a {@link pkcs11KeyProvider} reaches its token and keys. */
export interface Pkcs11KeyProviderOptions {
  /** Path of the HSM vendor's PKCS#11 module (SoftHSM2 on Debian: `/usr/lib/softhsm/libsofthsm2.so`). */
  readonly library: string;
  /** The label of the token that holds the keys. */
  readonly tokenLabel: string;
  /** The token's user PIN. */
  readonly pin: string;
  /**
   * Labels (`CKA_LABEL`) of AES-256 secret keys on the token; they are the key ids stored beside
   * each wrapped data key. The FIRST is current (wraps new data keys); the others only unwrap,
   * which is how a rotation starts (`[newLabel, oldLabel]`, then the vault's `rotate()`).
   */
  readonly keyLabels: readonly string[];
}

/** A {@link KeyProvider} on a PKCS#11 token, with {@link Pkcs11KeyProvider.close} to close its session. */
export interface Pkcs11KeyProvider extends KeyProvider {
  /** Closes the session (the last one closed logs out of the token, and finalizes the module when no other provider uses it). Calls after it reject. */
  readonly close: () => void;
}

const IV_BYTES = 12;
const TAG_BITS = 128;

/** A loaded PKCS#11 module, shared by every provider of the process that names the same library. */
interface LoadedModule {
  readonly module: pkcs11js.PKCS11;
  users: number;
}
const modules = new Map<string, LoadedModule>();

const loadModule = (library: string): pkcs11js.PKCS11 => {
  const loaded = modules.get(library);
  if (loaded !== undefined) {
    loaded.users++;
    return loaded.module;
  }
  const module = new pkcs11js.PKCS11();
  module.load(library);
  try {
    module.C_Initialize();
  } catch (cause) {
    // Another binding in this process initialized it first: that is fine, the module is one per process.
    if (returnValue(cause) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') throw cause;
  }
  modules.set(library, { module, users: 1 });
  return module;
};

const releaseModule = (library: string): void => {
  const loaded = modules.get(library);
  if (loaded === undefined) return;
  loaded.users--;
  if (loaded.users > 0) return;
  modules.delete(library);
  try {
    loaded.module.C_Finalize();
  } finally {
    loaded.module.close();
  }
};

/** The `CKR_…` name of a PKCS#11 failure (no secret: a return value), or the error's class. */
const returnValue = (cause: unknown): string => {
  if (cause instanceof Error) {
    const name = /CKR_[A-Z_]+/.exec(cause.message)?.[0];
    return name ?? cause.name;
  }
  return typeof cause;
};

const failure = (operation: string, cause: unknown): SecretVaultError =>
  cause instanceof SecretVaultError ? cause : new SecretVaultError('KeyProviderFailed', `pkcs11: ${operation} failed (${returnValue(cause)})`);

const label = (text: string): string => text.replace(/\s+$/, '');

const findToken = (module: pkcs11js.PKCS11, tokenLabel: string): pkcs11js.Handle => {
  const slot = module.C_GetSlotList(true).find((candidate) => label(module.C_GetTokenInfo(candidate).label) === tokenLabel);
  if (slot === undefined) throw new SecretVaultError('InvalidKey', `pkcs11: no token has the label ${tokenLabel}`);
  return slot;
};

const findKey = (module: pkcs11js.PKCS11, session: pkcs11js.Handle, keyLabel: string): pkcs11js.Handle => {
  module.C_FindObjectsInit(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_LABEL, value: keyLabel },
  ]);
  let found: pkcs11js.Handle[];
  try {
    found = module.C_FindObjects(session, 2);
  } finally {
    module.C_FindObjectsFinal(session);
  }
  const [key] = found;
  if (key === undefined || found.length > 1) {
    throw new SecretVaultError('InvalidKey', `pkcs11: ${found.length > 1 ? 'more than one AES key has' : 'no AES key has'} the label ${keyLabel}`);
  }
  return key;
};

/** Logs the user in; a login is per token and process in PKCS#11, so another provider may have done it already. */
const login = (module: pkcs11js.PKCS11, session: pkcs11js.Handle, pin: string): void => {
  try {
    module.C_Login(session, pkcs11js.CKU_USER, pin);
  } catch (cause) {
    if (returnValue(cause) !== 'CKR_USER_ALREADY_LOGGED_IN') throw cause;
  }
};

const checkOptions = (options: Pkcs11KeyProviderOptions): SecretVaultError | undefined => {
  const given = options as Partial<Pkcs11KeyProviderOptions> | undefined;
  if (typeof given?.library !== 'string' || given.library === '') return new SecretVaultError('InvalidKey', 'pkcs11 options.library: the path of a PKCS#11 module');
  if (typeof given.tokenLabel !== 'string' || given.tokenLabel === '') return new SecretVaultError('InvalidKey', 'pkcs11 options.tokenLabel: the label of a token');
  if (typeof given.pin !== 'string') return new SecretVaultError('InvalidKey', 'pkcs11 options.pin: a string');
  const labels: unknown = given.keyLabels;
  if (!Array.isArray(labels) || labels.length === 0) return new SecretVaultError('InvalidKey', 'pkcs11 options.keyLabels: pass at least one key label');
  const seen = new Set<unknown>();
  for (const [index, keyLabel] of (labels as unknown[]).entries()) {
    if (!isKeyId(keyLabel)) return new SecretVaultError('InvalidKey', `pkcs11 options.keyLabels[${String(index)}]: must be 1-64 letters, digits or . _ : -`);
    if (seen.has(keyLabel)) return new SecretVaultError('InvalidKey', `pkcs11 options.keyLabels[${String(index)}]: ${keyLabel} is given twice`);
    seen.add(keyLabel);
  }
  return undefined;
};

/**
 * A {@link KeyProvider} whose key-encryption keys live in an HSM, reached through PKCS#11 (the
 * `pkcs11js` binding, an optional peer dependency of this entry point): a data key is wrapped
 * by `CKM_AES_GCM` run inside the token, with a fresh 96-bit IV and the context as associated
 * data, so the KEK never leaves the HSM and a wrapped key moved to another reference does not
 * unwrap. A wrapped key is `iv (12) || ciphertext || tag (16)`. The keys must already be on the
 * token (generated there, `CKA_SENSITIVE` and not `CKA_EXTRACTABLE`, with `CKA_ENCRYPT` and
 * `CKA_DECRYPT`), found by label.
 *
 * It opens one read-only session and logs in at once; calls run synchronously on that session,
 * one at a time (PKCS#11 allows one operation per session). A setup that fails (no module, no
 * token, a wrong PIN, a missing key) makes every call reject with a `SecretVaultError` naming
 * the cause by its `CKR_…` return value, never the PIN. Call `close()` at shutdown.
 */
export const pkcs11KeyProvider = (options: Pkcs11KeyProviderOptions): Pkcs11KeyProvider => {
  const invalid = checkOptions(options);
  if (invalid !== undefined) return { ...rejectingKeyProvider(invalid), close: () => undefined };
  const { library, tokenLabel, pin, keyLabels } = options;
  let module: pkcs11js.PKCS11;
  try {
    module = loadModule(library);
  } catch (cause) {
    return { ...rejectingKeyProvider(failure(`loading the module ${library}`, cause)), close: () => undefined };
  }
  let session: pkcs11js.Handle | undefined;
  let keys: ReadonlyMap<string, pkcs11js.Handle>;
  try {
    session = module.C_OpenSession(findToken(module, tokenLabel), pkcs11js.CKF_SERIAL_SESSION);
    login(module, session, pin);
    const opened = session;
    keys = new Map(keyLabels.map((keyLabel) => [keyLabel, findKey(module, opened, keyLabel)]));
  } catch (cause) {
    if (session !== undefined) module.C_CloseSession(session);
    releaseModule(library);
    return { ...rejectingKeyProvider(failure('opening the token', cause)), close: () => undefined };
  }
  let open: pkcs11js.Handle | undefined = session;
  const currentId = keyLabels[0] as string;

  const sessionOf = (): pkcs11js.Handle => {
    if (open === undefined) throw new SecretVaultError('KeyProviderFailed', 'pkcs11: the key provider is closed');
    return open;
  };
  const gcm = (iv: Buffer, context: Uint8Array): pkcs11js.Mechanism => {
    const parameter: pkcs11js.AesGCM = { type: pkcs11js.CK_PARAMS_AES_GCM, iv, aad: Buffer.from(context), ivBits: IV_BYTES * 8, tagBits: TAG_BITS };
    return { mechanism: pkcs11js.CKM_AES_GCM, parameter };
  };

  const wrap = (dataKey: Uint8Array, context: Uint8Array): Promise<WrappedKey> => {
    try {
      const current = sessionOf();
      const iv = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES)));
      const plain = Buffer.from(dataKey);
      try {
        module.C_EncryptInit(current, gcm(iv, context), keys.get(currentId) as pkcs11js.Handle);
        const body = module.C_Encrypt(current, plain, Buffer.alloc(plain.length + TAG_BITS / 8));
        const wrapped = new Uint8Array(IV_BYTES + body.length);
        wrapped.set(iv);
        wrapped.set(body, IV_BYTES);
        return Promise.resolve({ keyId: currentId, wrapped });
      } finally {
        plain.fill(0);
      }
    } catch (cause) {
      return Promise.reject(failure('wrap', cause));
    }
  };

  const unwrap = ({ keyId, wrapped }: WrappedKey, context: Uint8Array): Promise<Uint8Array> => {
    try {
      const current = sessionOf();
      const key = keys.get(keyId);
      if (key === undefined) throw new SecretVaultError('UnknownKey', `pkcs11: no key label ${keyId} was given to this provider`);
      if (wrapped.length < IV_BYTES + TAG_BITS / 8) throw new SecretVaultError('Tampered', `a data key wrapped under ${keyId} does not authenticate for its context`);
      const out = Buffer.alloc(wrapped.length);
      try {
        module.C_DecryptInit(current, gcm(Buffer.from(wrapped.subarray(0, IV_BYTES)), context), key);
        const plain = module.C_Decrypt(current, Buffer.from(wrapped.subarray(IV_BYTES)), out);
        return Promise.resolve(Uint8Array.from(plain));
      } catch (cause) {
        // A tag that does not verify is the token's answer to a changed or moved wrapped key: the
        // standard says CKR_ENCRYPTED_DATA_INVALID, SoftHSM2 answers CKR_GENERAL_ERROR (its
        // DecryptInit already accepted key and parameters, so nothing else is left to fail).
        if (/CKR_(ENCRYPTED_DATA_INVALID|ENCRYPTED_DATA_LEN_RANGE|GENERAL_ERROR)/.test(returnValue(cause))) {
          throw new SecretVaultError('Tampered', `a data key wrapped under ${keyId} does not authenticate for its context`);
        }
        throw cause;
      } finally {
        out.fill(0);
      }
    } catch (cause) {
      return Promise.reject(failure('unwrap', cause));
    }
  };

  const close = (): void => {
    if (open === undefined) return;
    const closing = open;
    open = undefined;
    // No C_Logout: the login is shared by every session of the process on this token; closing
    // the last session logs out.
    try {
      module.C_CloseSession(closing);
    } finally {
      releaseModule(library);
    }
  };

  return { currentKeyId: () => currentId, knownKeyIds: () => keyLabels, wrap, unwrap, close };
};
