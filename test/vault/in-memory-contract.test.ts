import { describe, expect, it } from 'vitest';
import { inMemorySecretVault } from '../../src/ports/in-memory-secret-vault.js';
import type { SecretVault } from '../../src/ports/secret-vault.js';
import type { ContractTestApi } from '../../src/testing/event-store-contract.js';
import { secretVaultContract } from '../../src/testing/secret-vault-contract.js';

secretVaultContract('in memory', () => Promise.resolve(inMemorySecretVault()), { describe, it });

/** Runs the suite outside vitest, collecting each test's outcome by its name. */
const outcomes = async (vault: () => SecretVault): Promise<ReadonlyMap<string, string>> => {
  const tests: [string, () => Promise<void>][] = [];
  const path: string[] = [];
  const api: ContractTestApi = {
    describe: (name, body) => {
      path.push(name);
      body();
      path.pop();
    },
    it: (name, body) => {
      tests.push([[...path, name].join(' > '), body]);
    },
  };
  secretVaultContract('probe', () => Promise.resolve(vault()), api);
  const results = new Map<string, string>();
  for (const [name, body] of tests) {
    try {
      await body();
      results.set(name, 'passed');
    } catch (error) {
      results.set(name, error instanceof Error ? error.message : 'failed');
    }
  }
  return results;
};

const failing = (results: ReadonlyMap<string, string>): readonly string[] => [...results].filter(([, outcome]) => outcome !== 'passed').map(([name]) => name.split(' > ').at(-1) ?? name);

describe('the SecretVault contract suite catches broken vaults', () => {
  it('passes the in-memory vault whole', async () => {
    expect(failing(await outcomes(inMemorySecretVault))).toEqual([]);
  });

  it('fails a vault whose destroy forgets nothing', async () => {
    const results = await outcomes(() => ({ ...inMemorySecretVault(), destroy: () => undefined }));
    expect(failing(results)).toEqual(expect.arrayContaining(['makes the secret unrecoverable: get answers undefined, again and again', 'destroys for good when destroys and gets run concurrently']));
  });

  it('fails a vault that shares its bytes with the caller, and says so without printing them', async () => {
    const secrets = new Map<string, Uint8Array>();
    const results = await outcomes(() => ({
      put: (ref, secret) => void secrets.set(ref, secret),
      get: (ref) => secrets.get(ref),
      destroy: (ref) => void secrets.delete(ref),
    }));
    expect(failing(results)).toEqual(['keeps its own copy: changing the bytes passed to put or answered by get changes nothing stored']);
    const message = [...results.values()].find((outcome) => outcome !== 'passed') ?? '';
    expect(message).toMatch(/20 bytes/);
    expect(message).not.toMatch(/\d+,\d+/);
  });

  it('fails a vault that loses bytes (drops a trailing zero) or answers a stranger\'s secret', async () => {
    const truncating = await outcomes(() => {
      const inner = inMemorySecretVault();
      return { ...inner, put: (ref, secret) => inner.put(ref, secret.at(-1) === 0 ? secret.slice(0, -1) : secret) };
    });
    expect(failing(truncating)).toContain('round-trips every byte value, an empty secret and a long one');
    const mixing = await outcomes(() => {
      let last: Uint8Array | undefined;
      return { put: (_, secret) => void (last = Uint8Array.from(secret)), get: () => (last === undefined ? undefined : Uint8Array.from(last)), destroy: () => void (last = undefined) };
    });
    expect(failing(mixing)).toEqual(expect.arrayContaining(['answers undefined for a reference never stored', 'keeps secrets of distinct references apart']));
  });
});
