import type { SecretVault } from '../ports/secret-vault.js';
import type { ContractTestApi } from './event-store-contract.js';

/**
 * The promises of the `SecretVault` port, as a suite a host runs against its own vault (an HSM, a
 * KMS-backed table) with any test runner. Each test asks `makeVault` for a vault; the references
 * it uses are fresh per test, so one shared vault works too.
 */

const fail = (message: string): never => {
  throw new Error(message);
};

const check = (condition: boolean, message: string): void => {
  if (!condition) fail(message);
};

// Lengths and first bytes only: a suite run against a production vault must not print secrets.
const describeBytes = (bytes: Uint8Array | undefined): string => (bytes === undefined ? 'nothing' : `${String(bytes.length)} bytes`);

const sameBytes = (left: Uint8Array | undefined, right: Uint8Array | undefined): boolean =>
  left !== undefined && right !== undefined && left.length === right.length && left.every((byte, index) => byte === right[index]);

const checkSecret = (actual: Uint8Array | undefined, expected: Uint8Array, what: string): void => {
  check(actual instanceof Uint8Array, `${what}: expected a Uint8Array of ${describeBytes(expected)}, got ${describeBytes(actual)}`);
  check(sameBytes(actual, expected), `${what}: the bytes read differ from the bytes stored (${describeBytes(expected)} stored, ${describeBytes(actual)} read)`);
};

const checkNothing = (actual: Uint8Array | undefined, what: string): void => {
  check(actual === undefined, `${what}: expected nothing (undefined), got ${describeBytes(actual)}`);
};

let counter = 0;
/** A reference no other test of the run uses, shaped like the SDK's (`seed-…`). */
const freshRef = (kind = 'seed'): string => {
  counter++;
  return `${kind}-contract-${Date.now().toString(16)}-${Math.random().toString(16).slice(2, 10)}-${String(counter)}`;
};

/** Deterministic bytes of a given length (a small linear congruential generator). */
const bytesOf = (length: number, salt: number): Uint8Array => {
  let state = (salt * 2654435761) >>> 0;
  return Uint8Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 24;
  });
};

/**
 * Registers the `SecretVault` contract suite under `name`: what the SDK relies on when it keeps
 * seeds and activation codes in a host's vault.
 *
 * - `get` answers exactly the bytes `put` stored (every byte value, empty, long), as a copy the
 *   caller may overwrite; `undefined` for a reference never stored or destroyed.
 * - `put` replaces; `destroy` is for good (a later `get` answers `undefined`), is idempotent,
 *   touches no other reference, and a destroyed reference can be stored again.
 * - Concurrent `put`s of distinct references all land; concurrent `put`s of one reference leave one
 *   of the values whole, never a mix.
 */
export const secretVaultContract = (name: string, makeVault: () => Promise<SecretVault>, api: ContractTestApi): void => {
  const { describe, it } = api;

  describe(`SecretVault contract: ${name}`, () => {
    describe('put and get', () => {
      it('reads back exactly the bytes stored', async () => {
        const vault = await makeVault();
        const ref = freshRef();
        const secret = bytesOf(32, 1);
        await vault.put(ref, secret);
        checkSecret(await vault.get(ref), secret, 'get after put');
      });

      it('round-trips every byte value, an empty secret and a long one', async () => {
        const vault = await makeVault();
        const cases: readonly [string, Uint8Array][] = [
          ['all 256 byte values', Uint8Array.from({ length: 256 }, (_, index) => index)],
          ['zeros', new Uint8Array(20)],
          ['an empty secret', new Uint8Array(0)],
          ['one byte', Uint8Array.of(0xff)],
          ['4 KiB', bytesOf(4096, 2)],
        ];
        for (const [what, secret] of cases) {
          const ref = freshRef();
          await vault.put(ref, secret);
          checkSecret(await vault.get(ref), secret, what);
        }
      });

      it('answers undefined for a reference never stored', async () => {
        const vault = await makeVault();
        await vault.put(freshRef(), bytesOf(20, 12));
        checkNothing(await vault.get(freshRef()), 'get of an unknown reference');
      });

      it('replaces the secret when a reference is stored again', async () => {
        const vault = await makeVault();
        const ref = freshRef();
        await vault.put(ref, bytesOf(20, 3));
        const second = bytesOf(24, 4);
        await vault.put(ref, second);
        checkSecret(await vault.get(ref), second, 'get after a second put');
      });

      it('keeps secrets of distinct references apart', async () => {
        const vault = await makeVault();
        const refs = [freshRef('seed'), freshRef('activation-code'), freshRef('seed')];
        for (const [index, ref] of refs.entries()) await vault.put(ref, bytesOf(20, 10 + index));
        for (const [index, ref] of refs.entries()) checkSecret(await vault.get(ref), bytesOf(20, 10 + index), `reference #${String(index)}`);
      });

      it('keeps its own copy: changing the bytes passed to put or answered by get changes nothing stored', async () => {
        const vault = await makeVault();
        const ref = freshRef();
        const secret = bytesOf(20, 5);
        const passed = Uint8Array.from(secret);
        await vault.put(ref, passed);
        passed.fill(0);
        const first = await vault.get(ref);
        checkSecret(first, secret, 'get after the caller zeroed the bytes it passed');
        first?.fill(0);
        checkSecret(await vault.get(ref), secret, 'get after the caller zeroed the bytes it was answered');
      });
    });

    describe('destroy', () => {
      it('makes the secret unrecoverable: get answers undefined, again and again', async () => {
        const vault = await makeVault();
        const ref = freshRef();
        await vault.put(ref, bytesOf(20, 6));
        await vault.destroy(ref);
        checkNothing(await vault.get(ref), 'get after destroy');
        checkNothing(await vault.get(ref), 'a second get after destroy');
      });

      it('is idempotent and accepts a reference never stored', async () => {
        const vault = await makeVault();
        const ref = freshRef();
        await vault.put(ref, bytesOf(20, 7));
        await vault.destroy(ref);
        await vault.destroy(ref);
        await vault.destroy(freshRef());
        checkNothing(await vault.get(ref), 'get after two destroys');
      });

      it('touches no other reference', async () => {
        const vault = await makeVault();
        const kept = freshRef();
        const destroyed = freshRef();
        await vault.put(kept, bytesOf(20, 8));
        await vault.put(destroyed, bytesOf(20, 9));
        await vault.destroy(destroyed);
        checkSecret(await vault.get(kept), bytesOf(20, 8), 'the other reference after destroy');
      });

      it('lets a destroyed reference be stored again, with the new secret only', async () => {
        const vault = await makeVault();
        const ref = freshRef();
        await vault.put(ref, bytesOf(20, 10));
        await vault.destroy(ref);
        await vault.put(ref, bytesOf(28, 11));
        checkSecret(await vault.get(ref), bytesOf(28, 11), 'get after destroy then put');
      });
    });

    describe('concurrency', () => {
      it('lands every one of 50 concurrent puts of distinct references', async () => {
        const vault = await makeVault();
        const refs = Array.from({ length: 50 }, () => freshRef());
        await Promise.all(refs.map(async (ref, index) => vault.put(ref, bytesOf(20, 100 + index))));
        const read = await Promise.all(refs.map(async (ref) => vault.get(ref)));
        read.forEach((secret, index) => {
          checkSecret(secret, bytesOf(20, 100 + index), `concurrent put #${String(index)}`);
        });
      });

      it('leaves one whole value after 20 concurrent puts of one reference', async () => {
        const vault = await makeVault();
        const ref = freshRef();
        const values = Array.from({ length: 20 }, (_, index) => bytesOf(16 + index, 200 + index));
        await Promise.all(values.map(async (secret) => vault.put(ref, secret)));
        const read = await vault.get(ref);
        check(
          values.some((secret) => sameBytes(read, secret)),
          `after concurrent puts the reference should hold one of the values put, whole; it holds ${describeBytes(read)} matching none`,
        );
      });

      it('destroys for good when destroys and gets run concurrently', async () => {
        const vault = await makeVault();
        const refs = Array.from({ length: 20 }, () => freshRef());
        await Promise.all(refs.map(async (ref, index) => vault.put(ref, bytesOf(20, 300 + index))));
        // Host vaults may answer synchronously: each call goes through an async function.
        const destroying = refs.map(async (ref) => vault.destroy(ref));
        const reads = await Promise.all(refs.map(async (ref) => vault.get(ref)));
        await Promise.all(destroying);
        reads.forEach((secret, index) => {
          // A get racing its destroy sees the secret whole or nothing.
          if (secret !== undefined) checkSecret(secret, bytesOf(20, 300 + index), `a get racing destroy #${String(index)}`);
        });
        const after = await Promise.all(refs.map(async (ref) => vault.get(ref)));
        after.forEach((secret, index) => {
          checkNothing(secret, `reference #${String(index)} after the concurrent destroys`);
        });
      });
    });
  });
};
