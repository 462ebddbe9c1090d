import { describe, expect, it } from 'vitest';
import { builtInOtpEngine, defaultOtpParameters, hotp, inMemorySecretVault, totp } from '../../src/index.js';
import type { OtpEngine, OtpParameters, OtpVerificationRequest, SecretVault } from '../../src/index.js';

const seed = new TextEncoder().encode('12345678901234567890');
const timeMs = 1_700_000_000_000;
const step = BigInt(Math.floor(timeMs / 30_000));
const hotpParameters: OtpParameters = { ...defaultOtpParameters, mode: 'hotp' };

const vaultWith = (secrets: Record<string, Uint8Array>): SecretVault => {
  const vault = inMemorySecretVault();
  for (const [ref, secret] of Object.entries(secrets)) void vault.put(ref, secret);
  return vault;
};

const asyncVault = (inner: SecretVault): SecretVault => ({
  put: async (ref, secret) => inner.put(ref, secret),
  get: async (ref) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return inner.get(ref);
  },
  destroy: async (ref) => inner.destroy(ref),
});

const request = (overrides: Partial<OtpVerificationRequest> = {}): OtpVerificationRequest => ({
  serial: 'ST-000001-7',
  seedRef: 'seed-1',
  parameters: defaultOtpParameters,
  code: totp(seed, timeMs),
  timeMs,
  ...overrides,
});

describe('builtInOtpEngine', () => {
  const engines: [string, OtpEngine][] = [
    ['with a synchronous vault', builtInOtpEngine(vaultWith({ 'seed-1': seed, short: seed.slice(0, 10) }))],
    ['with an asynchronous vault', builtInOtpEngine(asyncVault(vaultWith({ 'seed-1': seed, short: seed.slice(0, 10) })))],
  ];

  describe.each(engines)('%s', (_, engine) => {
    it('TOTP: accepts the current code, then refuses it as a replay once recorded', async () => {
      expect(await engine.verify(request())).toEqual({ _tag: 'Right', right: { step, drift: 0 } });
      expect(await engine.verify(request({ lastAccepted: step }))).toEqual({ _tag: 'Left', left: { _tag: 'replay' } });
      expect(await engine.verify(request({ code: totp(seed, timeMs + 30_000), lastAccepted: step }))).toEqual({
        _tag: 'Right',
        right: { step: step + 1n, drift: 1 },
      });
    });

    it('TOTP: honours the token parameters and a known drift', async () => {
      const parameters: OtpParameters = { ...defaultOtpParameters, algorithm: 'SHA256', digits: 8, period: 60, past: 0, future: 0 };
      const code = totp(seed, timeMs, { algorithm: 'SHA256', digits: 8, period: 60 });
      expect(await engine.verify(request({ parameters, code }))).toMatchObject({ _tag: 'Right', right: { drift: 0 } });
      const drifted = totp(seed, timeMs + 5 * 30_000);
      expect(await engine.verify(request({ code: drifted }))).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
      expect(await engine.verify(request({ code: drifted, drift: 5 }))).toMatchObject({ _tag: 'Right', right: { drift: 5 } });
    });

    it('HOTP: searches from the counter after lastAccepted (0 when absent), drift from there', async () => {
      const parameters = hotpParameters;
      expect(await engine.verify(request({ parameters, code: hotp(seed, 0) }))).toEqual({ _tag: 'Right', right: { step: 0n, drift: 0 } });
      expect(await engine.verify(request({ parameters, code: hotp(seed, 7), lastAccepted: 2n }))).toEqual({
        _tag: 'Right',
        right: { step: 7n, drift: 4 },
      });
      expect(await engine.verify(request({ parameters, code: hotp(seed, 2), lastAccepted: 2n }))).toEqual({
        _tag: 'Left',
        left: { _tag: 'mismatch' },
      });
      expect(await engine.verify(request({ parameters, code: hotp(seed, 14), lastAccepted: 2n }))).toEqual({
        _tag: 'Left',
        left: { _tag: 'mismatch' },
      });
      expect(await engine.verify(request({ parameters, code: hotp(seed, 0), lastAccepted: 2n ** 64n - 1n }))).toEqual({
        _tag: 'Left',
        left: { _tag: 'mismatch' },
      });
    });

    it('resyncs both kinds', async () => {
      const { code: _code, ...base } = request();
      expect(await engine.resync({ ...base, codes: [totp(seed, timeMs + 300 * 30_000), totp(seed, timeMs + 301 * 30_000)] })).toEqual({
        _tag: 'Right',
        right: { step: step + 301n, drift: 301 },
      });
      expect(await engine.resync({ ...base, parameters: hotpParameters, lastAccepted: 9n, codes: [hotp(seed, 600), hotp(seed, 601)] })).toEqual({
        _tag: 'Right',
        right: { step: 601n, drift: 591 },
      });
      expect(await engine.resync({ ...base, parameters: hotpParameters, syncWindow: 100, codes: [hotp(seed, 600), hotp(seed, 601)] })).toEqual({
        _tag: 'Left',
        left: { _tag: 'mismatch' },
      });
      expect(
        await engine.resync({ ...base, lastAccepted: step + 301n, codes: [totp(seed, timeMs + 300 * 30_000), totp(seed, timeMs + 301 * 30_000)] }),
      ).toEqual({ _tag: 'Left', left: { _tag: 'replay' } });
      expect(await engine.resync({ ...base, parameters: hotpParameters, lastAccepted: 2n ** 64n - 1n, codes: ['000000', '000000'] })).toEqual({
        _tag: 'Left',
        left: { _tag: 'mismatch' },
      });
    });

    it('a missing seed is unavailable; a short seed is weak; bad codes are malformed', async () => {
      expect(await engine.verify(request({ seedRef: 'nope' }))).toMatchObject({ _tag: 'Left', left: { _tag: 'unavailable' } });
      expect(await engine.verify(request({ seedRef: 'short' }))).toEqual({ _tag: 'Left', left: { _tag: 'weak-secret' } });
      expect(await engine.verify(request({ code: 12345 }))).toMatchObject({ _tag: 'Left', left: { _tag: 'malformed' } });
    });

    it('refuses a request it cannot read before touching the vault', async () => {
      const bad = (value: unknown) => engine.verify(value as OtpVerificationRequest);
      expect(await bad(null)).toMatchObject({ left: { _tag: 'invalid-options' } });
      expect(await bad({ ...request(), parameters: null })).toMatchObject({ left: { _tag: 'invalid-options' } });
      expect(await bad({ ...request(), parameters: { ...defaultOtpParameters, mode: 'motp' } })).toMatchObject({ left: { _tag: 'invalid-options' } });
      expect(await bad({ ...request(), lastAccepted: 'x' })).toMatchObject({ left: { _tag: 'invalid-options' } });
      expect(await bad({ ...request(), parameters: { ...defaultOtpParameters, digits: 12 } })).toMatchObject({ left: { _tag: 'invalid-options' } });
      expect(await engine.resync({ ...request(), parameters: { ...defaultOtpParameters, mode: 'x' as 'totp' }, codes: ['1', '2'] })).toMatchObject({
        left: { _tag: 'invalid-options' },
      });
    });
  });

  it('answers synchronously when the vault does', () => {
    const engine = builtInOtpEngine(vaultWith({ 'seed-1': seed }));
    expect(engine.verify(request())).toEqual({ _tag: 'Right', right: { step, drift: 0 } });
  });

  it('takes lastAccepted as a number too', () => {
    const engine = builtInOtpEngine(vaultWith({ 'seed-1': seed }));
    const parameters = hotpParameters;
    expect(engine.verify(request({ parameters, code: hotp(seed, 5), lastAccepted: 4 as unknown as bigint }))).toEqual({
      _tag: 'Right',
      right: { step: 5n, drift: 0 },
    });
  });

  it('verifies legacy short seeds when allowed', () => {
    const engine = builtInOtpEngine(vaultWith({ short: seed.slice(0, 10) }), { allowShortSecret: true });
    expect(engine.verify(request({ seedRef: 'short', code: totp(seed.slice(0, 10), timeMs) }))).toEqual({ _tag: 'Right', right: { step, drift: 0 } });
  });

  it('a vault that throws, rejects or returns something odd makes the engine unavailable, never throw', async () => {
    const throwing: SecretVault = { put: () => undefined, get: () => { throw new Error('HSM offline'); }, destroy: () => undefined };
    const rejecting: SecretVault = { put: () => undefined, get: () => Promise.reject(new Error('timeout')), destroy: () => undefined };
    const odd: SecretVault = { put: () => undefined, get: () => 'seed' as unknown as Uint8Array, destroy: () => undefined };
    expect(builtInOtpEngine(throwing).verify(request())).toEqual({ _tag: 'Left', left: { _tag: 'unavailable', detail: 'the secret vault failed' } });
    expect(await builtInOtpEngine(rejecting).verify(request())).toEqual({ _tag: 'Left', left: { _tag: 'unavailable', detail: 'the secret vault failed' } });
    expect(builtInOtpEngine(odd).verify(request())).toMatchObject({ _tag: 'Left', left: { _tag: 'unavailable' } });
  });

  it('a destroyed seed verifies nothing any more (crypto-shredding)', () => {
    const vault = vaultWith({ 'seed-1': seed });
    const engine = builtInOtpEngine(vault);
    expect(engine.verify(request())).toMatchObject({ _tag: 'Right' });
    void vault.destroy('seed-1');
    expect(engine.verify(request())).toMatchObject({ _tag: 'Left', left: { _tag: 'unavailable' } });
  });

  it('a vendor verifier plugs in as an OtpEngine, asynchronously', async () => {
    const calls: string[] = [];
    const vendor: OtpEngine = {
      verify: async (req) => {
        calls.push(req.serial);
        await Promise.resolve();
        return req.code === '000000' ? { _tag: 'Right', right: { step: 1n, drift: 0 } } : { _tag: 'Left', left: { _tag: 'mismatch' } };
      },
      resync: () => ({ _tag: 'Left', left: { _tag: 'unavailable', detail: 'not supported by the vendor' } }),
    };
    expect(await vendor.verify(request({ code: '000000' }))).toEqual({ _tag: 'Right', right: { step: 1n, drift: 0 } });
    expect(calls).toEqual(['ST-000001-7']);
  });
});
