import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../examples/demo/run-demo.js';
import { encodeBase32 } from '../../src/device/index.js';
import { builtInOtpEngine } from '../../src/otp/built-in-engine.js';
import type { OtpEngine } from '../../src/otp/engine.js';
import { ATTRIBUTES } from '../../src/otel/index.js';
import { recordingVault } from '../sdk/harness.js';
import { capturingLogger, telemetry } from './telemetry.js';

/** The demo's security answer (examples/demo/internacional.ts). */
const SECURITY_ANSWER = 'Quito';

/** Every text a secret may be written as: bytes as hex, Base32 and Base64, and as text when they are text (activation codes). */
const spellings = (secret: Uint8Array): string[] => {
  const text = new TextDecoder().decode(secret);
  const printable = /^[\x20-\x7e]+$/u.test(text) ? [text, text.replaceAll('-', '')] : [];
  return [bytesToHex(secret), encodeBase32(secret), Buffer.from(secret).toString('base64'), ...printable].filter((spelling) => spelling.length >= 5);
};

describe('a realistic run, observed (both manuals, the orders, the refusals: the demo)', () => {
  it('puts no seed, activation code, OTP or security answer in any span, metric attribute or log record; every attribute is whitelisted', async () => {
    const otel = telemetry();
    const logger = capturingLogger();
    const vault = recordingVault();
    const codes: string[] = [];
    const engine = builtInOtpEngine(vault);
    const watchingEngine: OtpEngine = {
      verify: (request) => {
        if (typeof request.code === 'string') codes.push(request.code);
        return engine.verify(request);
      },
      resync: (request) => {
        for (const code of request.codes) if (typeof code === 'string') codes.push(code);
        return engine.resync(request);
      },
      // The demo approves its payroll with dynamic linking (issue 16): the OCRA responses are codes too.
      verifyOcra: (request) => {
        if (typeof request.response === 'string') codes.push(request.response);
        return engine.verifyOcra!(request);
      },
    };
    const ok = await runDemo({ print: () => undefined, startMs: Date.UTC(2026, 11, 3, 9), sdk: { instrumentation: otel.instrumentation, logger, vault, otpEngine: watchingEngine } });
    expect(ok).toBe(true);

    const spans = otel.spans();
    const points = await otel.points();
    // The run is realistic: every kind of span and the main counters are there.
    expect(new Set(spans.map((span) => span.name))).toEqual(new Set(['softtoken.dispatch', 'softtoken.store.append', 'softtoken.otp.verify']));
    expect(new Set(points.map((point) => point.name))).toEqual(
      new Set(['softtoken.commands', 'softtoken.command.duration', 'softtoken.otp.verifications', 'softtoken.token.locks', 'softtoken.projection.lag']),
    );

    const secrets = [...vault.everPut().flatMap(spellings), ...codes.filter((code) => code.length >= 6), SECURITY_ANSWER];
    expect(vault.everPut().length).toBeGreaterThan(5);
    expect(codes.length).toBeGreaterThan(5);

    const attributeSets = [...spans.flatMap((span) => [span.attributes, ...span.events.map((event) => event.attributes ?? {})]), ...points.map((point) => point.attributes)];
    const whitelist = new Set<string>(Object.values(ATTRIBUTES));
    for (const attributes of attributeSets) for (const key of Object.keys(attributes)) expect(whitelist).toContain(key);

    // String values come from closed vocabularies: command types and error tags (PascalCase), error codes
    // (UPPER_SNAKE; command types may end in a version digit: EnrollDeviceV2), and these: outcomes, OTP outcomes, lock reasons, projection names. No code or answer fits.
    const strings = new Set(attributeSets.flatMap((attributes) => Object.values(attributes).filter((value): value is string => typeof value === 'string')));
    const vocabulary = new Set<string>(['unknown', 'ok', 'accepted', 'mismatch', 'replay', 'malformed', 'otp-failures', 'security-answer-failures', 'softtoken/token-table', 'softtoken/audit', 'orders', 'secret-shredder']);
    for (const value of strings) expect(vocabulary.has(value) || /^[A-Z][A-Za-z0-9]+$/u.test(value) || /^[A-Z_]+$/u.test(value) ? value : `unexpected: ${value}`).toBe(value);

    const written = [
      ...spans.map((span) => JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events, status: span.status })),
      ...points.map((point) => JSON.stringify(point.attributes)),
      ...logger.records.map((record) => JSON.stringify(record)),
    ].join('\n');
    for (const secret of secrets) expect(written, 'a secret in the telemetry').not.toContain(secret);
  });
});
