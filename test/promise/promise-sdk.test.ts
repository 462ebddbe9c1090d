import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { inMemoryDirectory, type Actor, type DispatchResult, type RequestTokenAssignmentOutput, type Sdk, type SdkError } from '../../src/index.js';
import { createSdk as createFpSdk } from '../../src/index.js';
import { activateDevice } from '../../src/device/index.js';
import { createSdk, promiseSdk, type PromiseSdk, type Result } from '../../src/promise/index.js';

const bank: Actor = { kind: 'bank', operatorId: 'op-1' };
const ana: Actor = { kind: 'user', companyId: 'acme', userId: 'ana' };
const directory = () =>
  inMemoryDirectory([{ companyId: 'acme', userId: 'ana', displayName: 'Ana Gómez', active: true, isCompanyAdmin: false, email: 'ana@acme.example', mobile: '+57 300 555 0100', securityAnswer: 'Quito' }]);

/** Every call of a Promise SDK, with the given argument where it takes one. */
const everyCall = (sdk: PromiseSdk, input: unknown): readonly (() => Promise<Result<unknown>>)[] => [
  () => sdk.dispatch(input as never),
  () => sdk.dispatchJson(input),
  () => sdk.views.tokenTable(input as never, input as never),
  () => sdk.views.audit(input as never),
  () => sdk.views.orders.search(input),
  () => sdk.views.orders.toDelete(input),
  () => sdk.views.orders.toApprove(input),
  () => sdk.views.orders.toRevoke(input),
  () => sdk.views.orders.order(input as never, input as never),
  () => sdk.viewsFor(input).tokenTable(input as never),
  () => sdk.viewsFor(input).orders.order(input as never, input as never),
  () => sdk.views.orders.agreements(input as never),
  () => sdk.verify(),
  () => sdk.verify(input as never),
  () => sdk.anchor(input as never),
];

const isResult = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && ('ok' in value) && (value.ok === true ? 'value' in value : 'error' in value && typeof (value as { error: { code?: unknown } }).error.code === 'string');

describe('softtoken-sdk/promise', () => {
  it('runs the quick start with typed commands and typed outputs, no fp-ts and no cast', async () => {
    const sdk = createSdk({ directory: directory() });
    const configured = await sdk.dispatch({ type: 'ConfigureCompany', commandId: 'c1', actor: bank, companyId: 'acme', quota: 10, policy: { assignmentConfirmation: 'none', activation: 'security-question' } });
    expect(configured.ok).toBe(true);
    const requested = await sdk.dispatch({ type: 'RequestTokenAssignment', commandId: 'c2', actor: ana });
    expectTypeOf(requested).toEqualTypeOf<Result<DispatchResult<RequestTokenAssignmentOutput>>>();
    if (!requested.ok) throw new Error(requested.error.message);
    const token = requested.value.output;
    const app = activateDevice({ serial: token.serial, activationCode: token.activation?.activationCode });
    if (E.isLeft(app)) throw new Error(app.left._tag);
    expect((await sdk.dispatch({ type: 'EnrollDevice', commandId: 'c3', actor: ana, serial: token.serial, registrationCode: app.right.registrationCode })).ok).toBe(true);
    expect((await sdk.dispatch({ type: 'ActivateToken', commandId: 'c4', actor: ana, serial: token.serial, securityAnswer: 'quito' })).ok).toBe(true);
    const verified = await sdk.dispatch({ type: 'VerifyOtp', commandId: 'c5', actor: ana, otp: app.right.token.code() });
    expect(verified.ok && verified.value.output).toMatchObject({ serial: token.serial });
    const table = await sdk.views.tokenTable('acme');
    expect(table.ok && table.value.rows.map((row) => row.status)).toEqual(['active']);
    const report = await sdk.verify();
    expect(report.ok && report.value.ok).toBe(true);
  });

  it('answers an error as { ok: false, error } with the same tagged error as the fp-ts form', async () => {
    const sdk = createSdk();
    const refused = await sdk.dispatch({ type: 'VerifyOtp', commandId: 'c', actor: bank, otp: '123456' });
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ _tag: 'Forbidden', code: 'FORBIDDEN' }) as unknown });
    const junk = await sdk.dispatchJson({ type: 'DeleteToken' });
    expect(!junk.ok && junk.error._tag).toBe('InvalidCommand');
  });

  it('wraps an existing fp-ts SDK: one store, two calling styles', async () => {
    const fp = createFpSdk({ directory: directory() });
    const wrapped = promiseSdk(fp);
    expect(wrapped.store).toBe(fp.store);
    await wrapped.dispatch({ type: 'ConfigureCompany', commandId: 'c1', actor: bank, companyId: 'acme', quota: 1 });
    const replay = await fp.dispatch({ type: 'ConfigureCompany', commandId: 'c1', actor: bank, companyId: 'acme', quota: 1 })();
    expect(E.isRight(replay) && replay.right.replayed).toBe(true);
  });

  it('never rejects, whatever a real SDK is given (hostile input to every call)', async () => {
    const sdk = createSdk();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), fc.constant(null), fc.constant(undefined), fc.record({ type: fc.constantFrom('DeleteToken', 'UploadOrder', 'VerifyOtp'), commandId: fc.string() })), async (input) => {
        for (const call of everyCall(sdk, input)) {
          const settled = await call().then(
            (value) => ({ resolved: value }),
            (reason: unknown) => ({ rejected: reason }),
          );
          expect(settled).toHaveProperty('resolved');
          expect(isResult((settled as { resolved: unknown }).resolved)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never rejects even when the SDK underneath throws, rejects or answers something that is not an Either', async () => {
    type Behaviour = 'right' | 'left' | 'throw' | 'throw-non-error' | 'reject' | 'not-either';
    const taskOf = (behaviour: Behaviour, secret: string): TaskEither<SdkError, unknown> => {
      switch (behaviour) {
        case 'right':
          return () => Promise.resolve(E.right('value'));
        case 'left':
          return () => Promise.resolve(E.left({ _tag: 'Forbidden', code: 'FORBIDDEN', message: 'no' }));
        case 'throw':
          throw new TypeError(`driver quoted ${secret}`);
        case 'throw-non-error':
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- a host's code may throw anything
          throw secret;
        case 'reject':
          return () => Promise.reject(new RangeError(`driver quoted ${secret}`));
        case 'not-either':
          return () => Promise.resolve(null as never);
      }
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Behaviour>('right', 'left', 'throw', 'throw-non-error', 'reject', 'not-either'), fc.string({ minLength: 6 }), fc.anything(), async (behaviour, secret, input) => {
        const task = (): TaskEither<SdkError, unknown> => taskOf(behaviour, secret);
        const broken = {
          dispatch: task,
          dispatchJson: task,
          views: { tokenTable: task, audit: task, orders: { search: task, toDelete: task, toApprove: task, toRevoke: task, order: task, agreements: task } },
          viewsFor: () => ({ tokenTable: task, audit: task, orders: { search: task, toDelete: task, toApprove: task, toRevoke: task, order: task, agreements: task } }),
          verify: task,
          anchor: task,
          store: createFpSdk().store,
        } as unknown as Sdk;
        for (const call of everyCall(promiseSdk(broken), input)) {
          const result = await call();
          expect(isResult(result)).toBe(true);
          expect(result.ok).toBe(behaviour === 'right');
          if (!result.ok) expect(JSON.stringify(result.error)).not.toContain(secret);
        }
      }),
      { numRuns: 500 },
    );
  });
});
