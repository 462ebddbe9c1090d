import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as E from '../../src/errors/sdk-error.js';

describe('SdkError constructors', () => {
  const all: readonly E.SdkError[] = [
    E.invalidCommand([{ path: 'actor.userId', message: 'expected a non-empty string' }]),
    E.notFound('token', 'ST-1'),
    E.forbidden('only a company admin may do this'),
    E.invalidTransition('deleted', 'ActivateToken'),
    E.quotaExhausted('acme'),
    E.preconditionFailed('no-mobile', 'the user has no mobile number'),
    E.otpRequired(),
    E.otpRejected('mismatch'),
    E.tokenLocked('ST-1'),
    E.activationCodeExpired('ST-1'),
    E.registrationCodeInvalid('ST-1'),
    E.concurrencyConflict('token-ST-1', '3', 4),
    E.duplicateCommand('cmd-1'),
    E.infrastructure('database unreachable'),
  ];

  it('gives every error a distinct tag and a stable upper-case code', () => {
    expect(new Set(all.map((error) => error._tag)).size).toBe(all.length);
    for (const error of all) {
      expect(error.code).toMatch(/^[A-Z_]+$/);
      expect(error.message.length).toBeGreaterThan(0);
    }
  });

  it('names the field paths of an invalid command, the root as (root)', () => {
    const error = E.invalidCommand([
      { path: '', message: 'expected an object' },
      { path: 'orders.1.orderId', message: 'expected a string' },
    ]);
    expect(error.message).toBe('invalid command: (root): expected an object; orders.1.orderId: expected a string');
  });

  it('names the state and the command of an invalid transition', () => {
    const error = E.invalidTransition('pending', 'ActivateToken');
    expect(error).toMatchObject({ from: 'pending', command: 'ActivateToken' });
    expect(error.message).toContain('pending');
    expect(error.message).toContain('ActivateToken');
  });

  it('explains each OTP rejection differently', () => {
    const messages = (['mismatch', 'replay', 'malformed'] as const).map((reason) => E.otpRejected(reason).message);
    expect(new Set(messages).size).toBe(3);
  });

  it('describes a conflict with both versions', () => {
    expect(E.concurrencyConflict('order-9', 'no-stream', 2).message).toBe('stream order-9 is at version 2, expected no-stream');
  });

  it('keeps only the class of a thrown cause, never its text (issue 11, defect 7)', () => {
    expect(E.infrastructureFrom('vault')(new Error('timeout')).message).toBe('vault failed: Error thrown');
    fc.assert(
      fc.property(fc.anything().filter((value) => !(value instanceof Error)), (thrown) => {
        expect(E.infrastructureFrom('directory')(thrown).message).toMatch(/^directory failed: (null|undefined|string|number|bigint|boolean|symbol|Object|Array|an unnamed class|[A-Za-z]+) thrown$/);
      }),
      { numRuns: 300 },
    );
  });
});
