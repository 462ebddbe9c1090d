import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import * as device from '../../src/device/index.js';
import * as root from '../../src/index.js';
import * as postgres from '../../src/postgres/index.js';
import { createSdk } from '../../src/sdk/create-sdk.js';
import * as testing from '../../src/testing/index.js';
import * as promise from '../../src/promise/index.js';
import { eventRegistry } from '../../src/events/event-registry.js';
import { auditProjection } from '../../src/projections/audit/projection.js';
import { auditPage } from '../../src/projections/audit/view.js';
import { ordersProjection } from '../../src/projections/orders/projection.js';
import { agreementsOf, orderById } from '../../src/projections/orders/views.js';
import { tokenTableProjection } from '../../src/projections/token-table/projection.js';
import { tokenTablePage } from '../../src/projections/token-table/view.js';

/**
 * Issue 11, defect 11: every public function answers (a Left is fine) for any input; none throws
 * or rejects. The exceptions are listed here, each with its reason, so a new export is audited.
 */
const DOCUMENTED_THROWS: Readonly<Record<string, string>> = {
  // docs/decisions.md "Generators throw, verifiers never do".
  'root.hotp': 'generator', 'root.totp': 'generator', 'root.ocra': 'generator', 'device.hotp': 'generator', 'device.totp': 'generator',
  // The dynamic-linking key is derived like a code is generated: from the app's own seed bytes (docs/dynamic-linking.md).
  'root.dynamicLinkingKey': 'generator', 'device.dynamicLinkingKey': 'generator',
  // A test-suite builder: it registers vitest suites for the store it is given.
  'testing.eventStoreContract': 'test-suite builder', 'testing.checkpointStoreContract': 'test-suite builder', 'testing.secretVaultContract': 'test-suite builder',
};

/**
 * Typed building blocks of the root entry point (folds, deciders, hashing, handlers, error
 * constructors): they take values the SDK itself made, not input from a host's caller, and the
 * root surface is being narrowed (API report). Not yet total: see the report of issue 11.
 */
const KERNEL_BUILDING_BLOCKS = new Set([
  'hashEvent', 'sealEvent', 'canonicalEnvelope', 'verifyAll', 'verifyStream', 'anchorLog', 'boundedString', 'defineEvent', 'eventRegistry',
  'isSecretPath', 'validationIssues', 'createCommandRuntime', 'decodeCommand', 'fromHostPort', 'backoffDelay', 'runProjection', 'foldEvents', 'projectionFailure',
  'inlineProjection', 'secretShredder', 'inMemoryDirectory', 'decodeTokenEvent', 'tokenStreamId', 'evolveToken', 'isLockedAt', 'tokenExists', 'serialCheckCharacter',
  'companyStreamId', 'decodeCompanyEvent', 'availableSlots', 'evolveCompany', 'chooseFactor', 'judgeOtp', 'judgeResync', 'mergeWrites', 'refusal', 'requireOtp',
  'withOtpRecord', 'auditProjection', 'invalidCommand', 'notFound', 'invalidTransition', 'quotaExhausted', 'tokenLocked', 'activationCodeExpired',
  'registrationCodeInvalid', 'concurrencyConflict', 'duplicateCommand', 'idempotencyKeyReused', 'minorUnitDigits', 'formatMoney', 'parseMoney', 'sumByCurrency', 'actorFacts',
  'decideAgreement', 'agreementStreamId', 'evolveAgreement', 'grantsOf', 'liveOrdersWith', 'decideOrder', 'decideBatch', 'decideOrderOutcome', 'fingerprintEffects',
  'orderStreamId', 'orderFingerprint', 'evolveOrder', 'nextLevel', 'orderCommandWrites', 'gatherActor', 'confirmWithOtp', 'decideOrders', 'movesOf',
  'approveOrdersHandler', 'deleteOrderHandler', 'markOrderExecutedHandler', 'revokeOrdersHandler', 'orderHandlerDeps', 'ordersHandlers', 'foldOrdersEvent',
  'serializeOrdersReadModel', 'formatActivationCode', 'checkExpectedVersion', 'canonicalJson', 'firstNonJsonPath',
].map((name) => `root.${name}`));

type AnyFunction = (...args: unknown[]) => unknown;

const functionsOf = (entry: string, module: Readonly<Record<string, unknown>>): [string, AnyFunction][] =>
  Object.entries(module)
    .filter((pair): pair is [string, AnyFunction] => typeof pair[1] === 'function')
    // A class (an error type hosts test with instanceof) is constructed, not called.
    .filter(([, value]) => !Function.prototype.toString.call(value).startsWith('class'))
    .map(([name, value]) => [`${entry}.${name}`, value]);

// The pure views behind the SDK's views are internal now, but they face what a caller passes the views: audited too.
const pureViews = { tokenTablePage, auditPage, orderById, agreementsOf };
const all = [...functionsOf('root', root), ...functionsOf('postgres', postgres), ...functionsOf('device', device), ...functionsOf('testing', testing), ...functionsOf('promise', promise), ...functionsOf('views', pureViews)];
/** The pure views take the read model the SDK keeps as their first argument; any other argument may be anything. */
const VIEWS_OVER_STATE: Readonly<Record<string, unknown>> = {
  'views.tokenTablePage': tokenTableProjection.initialState,
  'views.auditPage': auditProjection().initialState,
  'views.orderById': ordersProjection(eventRegistry([])).initialState,
  'views.agreementsOf': ordersProjection(eventRegistry([])).initialState,
};
const boundary = all
  .filter(([name]) => DOCUMENTED_THROWS[name] === undefined && !KERNEL_BUILDING_BLOCKS.has(name))
  .map(([name, fn]): [string, AnyFunction] => (name in VIEWS_OVER_STATE ? [name, (...args: unknown[]) => fn(VIEWS_OVER_STATE[name], ...args)] : [name, fn]));

/** Calls a function and, when it answers a task (a TaskEither) or a promise, runs it too. */
const settle = async (call: () => unknown): Promise<unknown> => {
  let out = call();
  if (typeof out === 'function' && out.length === 0) out = (out as () => unknown)();
  return out instanceof Promise ? await out : out;
};

const hostile = fc.oneof(fc.constant(null), fc.constant(undefined), fc.anything({ maxDepth: 2, withNullPrototype: true, withBigInt: true, withMap: true, withSet: true }), fc.string(), fc.integer(), fc.constant(Symbol('s')), fc.constant(() => 1));
const hostileArgs = fc.array(hostile, { maxLength: 4 });

describe('every public function answers for any input (issue 11, defect 11)', () => {
  it('audits a large surface, and the views and device functions are on the boundary', () => {
    expect(boundary.length).toBeGreaterThan(40);
    for (const name of ['root.createSdk', 'promise.createSdk', 'views.tokenTablePage', 'views.auditPage', 'views.orderById', 'views.agreementsOf', 'device.activateDevice', 'device.restoreDeviceToken', 'device.formatRegistrationCode', 'device.isValidSerial', 'postgres.postgresEventStore', 'postgres.postgresCheckpointStore']) {
      expect(boundary.map(([found]) => found)).toContain(name);
    }
  });

  it('null, undefined and wrong types: no throw, no rejection, from any boundary function', async () => {
    const threw: string[] = [];
    for (const [name, fn] of boundary) {
      for (const args of <unknown[][]>[[], [null], [undefined], [null, null], ['acme', null], [null, null, null, null], [1, 'x', {}], [Symbol('s')], [Object.create(null)], [new Uint8Array(3), 5n]]) {
        try {
          await settle(() => fn(...args));
        } catch {
          threw.push(`${name}(${args.map((arg) => typeof arg).join(', ')})`);
        }
      }
    }
    if (threw.length > 0) console.log(`THREW ${[...new Set(threw.map((entry) => entry.replace(/\(.*/, "")))].join(" ")}`);
    expect(threw).toEqual([]);
  });

  it('arbitrary values: no throw, no rejection', async () => {
    const threw = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...boundary), hostileArgs, async ([name, fn], args) => {
        try {
          await settle(() => fn(...args));
        } catch {
          threw.add(name);
        }
      }),
      { numRuns: 3000 },
    );
    expect([...threw]).toEqual([]);
  });

  it("every SDK method and view answers an Either for any argument, and the named ones answer Left on null", async () => {
    const sdk = createSdk();
    const methods: [string, (...args: unknown[]) => () => Promise<E.Either<unknown, unknown>>][] = [
      ['dispatch', sdk.dispatch as never],
      ['dispatchJson', sdk.dispatchJson],
      ['verify', sdk.verify as never],
      ['anchor', sdk.anchor as never],
      ['views.tokenTable', sdk.views.tokenTable as never],
      ['views.audit', sdk.views.audit as never],
      ...Object.entries(sdk.views.orders).map(([name, fn]): [string, (...args: unknown[]) => () => Promise<E.Either<unknown, unknown>>] => [`views.orders.${name}`, fn as never]),
    ];
    for (const [name, args] of [['views.tokenTable', ['acme', null]], ['views.tokenTable', [null]], ['views.audit', [null]], ['views.orders.order', [null]], ['views.orders.agreements', [null]], ['verify', [null]], ['anchor', [null]], ['dispatch', [null]]] as const) {
      const method = methods.find(([found]) => found === name)![1];
      expect(await method(...args)(), `${name}(${args.map(String).join(', ')})`).toMatchObject({ _tag: 'Left', left: { code: expect.any(String) as string } });
    }
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), hostileArgs, async ([, method], args) => {
        const result = await method(...args)();
        expect(E.isLeft(result) || E.isRight(result)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('activateDevice and restoreDeviceToken answer Left for null and for anything that is not their input', () => {
    expect(device.activateDevice(null as never)).toMatchObject({ _tag: 'Left', left: { _tag: 'malformed', field: 'input' } });
    expect(device.restoreDeviceToken(null as never)).toMatchObject({ _tag: 'Left', left: { _tag: 'malformed', field: 'input' } });
    fc.assert(
      fc.property(hostile, hostile, hostile, (serial, activationCode, parameters) => {
        const answer = device.activateDevice({ serial, activationCode, parameters } as never);
        expect(E.isLeft(answer)).toBe(true);
        expect(E.isLeft(device.restoreDeviceToken({ serial, seed: activationCode, parameters } as never))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
