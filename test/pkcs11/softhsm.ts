/**
 * A fresh SoftHSM2 token for each test file: a temporary token directory and configuration
 * (SOFTHSM2_CONF points at it before the module is loaded), a token initialised there, AES-256
 * keys generated inside it (sensitive, not extractable) by label, and everything removed after.
 * Where SoftHSM2 or the pkcs11js binding is missing, `softHsmMissing` says why and the tests skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Pkcs11 from 'pkcs11js';

const libraries = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'];

/** The SoftHSM2 module's path, if installed. */
export const softHsmLibrary = libraries.find((path) => existsSync(path));

const binding = ((): typeof Pkcs11 | undefined => {
  try {
    return createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11;
  } catch {
    return undefined;
  }
})();

const hasUtil = ((): boolean => {
  try {
    execFileSync('softhsm2-util', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Why the PKCS#11 tests cannot run here, or undefined when they can. */
export const softHsmMissing: string | undefined =
  softHsmLibrary === undefined || !hasUtil
    ? 'SoftHSM2 is not installed (apt-get install softhsm2; .ci/run installs it)'
    : binding === undefined
      ? 'the pkcs11js binding did not build or load'
      : undefined;

if (softHsmMissing !== undefined) console.warn(`PKCS#11 tests SKIPPED: ${softHsmMissing}`);

export const TOKEN_LABEL = 'softtoken-test';
export const USER_PIN = '246810';
const SO_PIN = '13579111';

/** A token initialised in a temporary directory; `generateKey` makes an AES-256 KEK inside it. */
export interface SoftHsmToken {
  readonly library: string;
  readonly generateKey: (label: string) => void;
  readonly remove: () => void;
}

export const freshSoftHsmToken = (): SoftHsmToken => {
  if (softHsmLibrary === undefined || binding === undefined) throw new Error(softHsmMissing);
  const pkcs11 = binding;
  const dir = mkdtempSync(join(tmpdir(), 'softhsm-'));
  const config = join(dir, 'softhsm2.conf');
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  writeFileSync(config, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env['SOFTHSM2_CONF'] = config;
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', TOKEN_LABEL, '--pin', USER_PIN, '--so-pin', SO_PIN], { env: { ...process.env, SOFTHSM2_CONF: config }, stdio: 'ignore' });
  const library = softHsmLibrary;

  const generateKey = (label: string): void => {
    // A module of its own, finalized at once: the provider under test loads it again.
    const module = new pkcs11.PKCS11();
    module.load(library);
    let initialized = true;
    try {
      module.C_Initialize();
    } catch {
      // A provider of this process has it initialized: share it, and leave it initialized.
      initialized = false;
    }
    try {
      const slot = module.C_GetSlotList(true).find((candidate) => module.C_GetTokenInfo(candidate).label.trim() === TOKEN_LABEL);
      if (slot === undefined) throw new Error('the test token is missing');
      const session = module.C_OpenSession(slot, pkcs11.CKF_SERIAL_SESSION | pkcs11.CKF_RW_SESSION);
      module.C_Login(session, pkcs11.CKU_USER, USER_PIN);
      module.C_GenerateKey(session, { mechanism: pkcs11.CKM_AES_KEY_GEN }, [
        { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_SECRET_KEY },
        { type: pkcs11.CKA_KEY_TYPE, value: pkcs11.CKK_AES },
        { type: pkcs11.CKA_VALUE_LEN, value: 32 },
        { type: pkcs11.CKA_LABEL, value: label },
        { type: pkcs11.CKA_TOKEN, value: true },
        { type: pkcs11.CKA_PRIVATE, value: true },
        { type: pkcs11.CKA_SENSITIVE, value: true },
        { type: pkcs11.CKA_EXTRACTABLE, value: false },
        { type: pkcs11.CKA_ENCRYPT, value: true },
        { type: pkcs11.CKA_DECRYPT, value: true },
      ]);
      module.C_Logout(session);
      module.C_CloseSession(session);
    } finally {
      if (initialized) module.C_Finalize();
      module.close();
    }
  };

  return { library, generateKey, remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
