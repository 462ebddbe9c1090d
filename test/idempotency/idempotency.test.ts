import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandDigest } from '../../src/commands/command-digest.js';
import type { DispatchResult } from '../../src/commands/command-handler.js';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { NewEvent, StoredEvent } from '../../src/events/envelope.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import type { EventStore } from '../../src/store/event-store.js';
import { bank } from '../sdk/harness.js';
import { as, COMPANY, commandsOf, firstOutcomeEverywhere, instance, ok, pausingLookup, raceBench, SERVICE, setUp, sharedPorts } from './world.js';

const everything = async (store: EventStore): Promise<readonly StoredEvent[]> => {
  const all = await store.readAll({ fromPosition: 0, limit: 100_000 })();
  if (E.isLeft(all)) throw new Error(all.left.message);
  return all.right;
};
const errorOf = (result: E.Either<SdkError, DispatchResult>): SdkError => {
  if (E.isRight(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.right.output)}`);
  return result.left;
};

const world = async () => {
  const store = inMemoryEventStore();
  const ports = sharedPorts();
  const sdk = instance(store, ports, 1);
  await setUp(sdk);
  return { store, ports, sdk };
};

describe('a commandId reused for another command (defect 8)', () => {
  it('RevokeOrders under an ApproveOrders id answers IDEMPOTENCY_KEY_REUSED and does nothing', async () => {
    const { store, sdk } = await world();
    await ok(sdk, { type: 'ApproveOrders', commandId: 'key-1', actor: as('ana'), orderIds: ['o1'] });
    const before = await everything(store);
    const reused = errorOf(await sdk.dispatchJson({ type: 'RevokeOrders', commandId: 'key-1', actor: as('ana'), orderIds: ['o1'] })());
    expect(reused).toEqual({ _tag: 'IdempotencyKeyReused', code: 'IDEMPOTENCY_KEY_REUSED', commandId: 'key-1', message: expect.stringContaining('key-1') as unknown });
    // Other fields, the same type: refused too.
    const otherOrders = errorOf(await sdk.dispatchJson({ type: 'ApproveOrders', commandId: 'key-1', actor: as('ana'), orderIds: ['o1', 'o9'] })());
    expect(otherOrders.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await everything(store)).toEqual(before);
    // The same command again is the first outcome, whatever its tracing ids.
    const again = await ok(sdk, { type: 'ApproveOrders', commandId: 'key-1', correlationId: 'other-journey', actor: as('ana'), orderIds: ['o1'] });
    expect(again.replayed).toBe(true);
    expect(again.events).toEqual(before.filter((event) => event.metadata.commandId === 'key-1'));
  });

  it('another actor reusing the id still gets DUPLICATE_COMMAND, which reveals nothing of the command', async () => {
    const { sdk } = await world();
    await ok(sdk, { type: 'ApproveOrders', commandId: 'key-2', actor: as('ana'), orderIds: ['o1'] });
    expect(errorOf(await sdk.dispatchJson({ type: 'RevokeOrders', commandId: 'key-2', actor: as('ben'), orderIds: ['o1'] })()).code).toBe('DUPLICATE_COMMAND');
  });

  it('the digest covers type and fields, secrets by presence only, and not the key or tracing ids', () => {
    const approve = { type: 'ApproveOrders', commandId: 'k', actor: as('ana'), orderIds: ['o1'], otp: '123456' };
    const digest = commandDigest(approve, ['otp']);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(commandDigest({ ...approve, otp: '654321', commandId: 'k2', correlationId: 'c', causationId: 'd' }, ['otp'])).toBe(digest);
    expect(commandDigest({ ...approve, type: 'RevokeOrders' }, ['otp'])).not.toBe(digest);
    expect(commandDigest({ ...approve, orderIds: ['o2'] }, ['otp'])).not.toBe(digest);
    const { otp: _, ...withoutCode } = approve;
    expect(commandDigest(withoutCode, ['otp'])).not.toBe(digest);
    // No secret's value goes into it: a digest of every possible code would be the same.
    expect(commandDigest({ orders: [{ otp: '1' }, { otp: '2' }] }, ['orders.*.otp'])).toBe(commandDigest({ orders: [{ otp: '3' }, { otp: '4' }] }, ['orders.*.otp']));
  });

  it('events stored before digests existed (0.1) still replay', async () => {
    const { store: written, sdk } = await world();
    const grant = { type: 'GrantApprover', commandId: 'old-1', actor: bank, companyId: COMPANY, serviceId: SERVICE, userId: 'ben', level: 1 };
    const first = await ok(sdk, grant);
    // The same log as a 0.1 runtime wrote it: metadata without commandDigest.
    const old = inMemoryEventStore();
    const commands = new Map<string, Map<string, NewEvent[]>>();
    for (const event of await everything(written)) {
      const { commandDigest: _, ...metadata } = event.metadata;
      const streams = commands.get(metadata.commandId) ?? new Map<string, NewEvent[]>();
      commands.set(metadata.commandId, streams);
      streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), { eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata }]);
    }
    for (const streams of commands.values()) {
      const copied = await old.append([...streams].map(([streamId, events]) => ({ streamId, expectedVersion: 'any' as const, events })))();
      expect(E.isRight(copied)).toBe(true);
    }
    const replayed = await ok(instance(old, sharedPorts(), 1), grant);
    expect(replayed).toMatchObject({ replayed: true, output: first.output });
    expect(replayed.events.map((event) => event.eventId)).toEqual(first.events.map((event) => event.eventId));
  });
});

describe('commands that change nothing keep their commandId (defect 14)', () => {
  it('a grant already held answers success, replays, and its id cannot be reused for another grant', async () => {
    const { store, sdk } = await world();
    const held = { type: 'GrantApprover', commandId: 'noop-1', actor: bank, companyId: COMPANY, serviceId: SERVICE, userId: 'ana', level: 1 };
    expect(await ok(sdk, held)).toEqual({ commandId: 'noop-1', events: [], output: { companyId: COMPANY, serviceId: SERVICE, changed: false }, replayed: false });
    expect(await ok(sdk, held)).toEqual({ commandId: 'noop-1', events: [], output: { companyId: COMPANY, serviceId: SERVICE, changed: false }, replayed: true });
    const before = await everything(store);
    expect(errorOf(await sdk.dispatchJson({ ...held, userId: 'ben' })()).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(errorOf(await sdk.dispatchJson({ ...held, type: 'RevokeApprover' })()).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await everything(store)).toEqual(before);
  });

  it('the same number of levels answers success once, then replays; another agreement under its id is refused', async () => {
    const { sdk } = await world();
    const same = { type: 'RegisterServiceAgreement', commandId: 'noop-2', actor: bank, companyId: COMPANY, serviceId: SERVICE, approvalLevels: 2 };
    expect((await ok(sdk, same)).replayed).toBe(false);
    expect((await ok(sdk, same)).replayed).toBe(true);
    expect(errorOf(await sdk.dispatchJson({ ...same, approvalLevels: 3 })()).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a refused command leaves its id free: the same command succeeds under it once its precondition holds', async () => {
    const { sdk } = await world();
    const benApproves = { type: 'ApproveOrders', commandId: 'refused-1', actor: as('ben'), orderIds: ['o1'] };
    const refused = await sdk.dispatchJson(benApproves)();
    expect(E.isLeft(refused)).toBe(true);
    await ok(sdk, { type: 'ApproveOrders', commandId: 'ana-1', actor: as('ana'), orderIds: ['o1'] });
    const approved = await ok(sdk, benApproves);
    expect(approved.replayed).toBe(false);
    expect(approved.events[0]?.data).toMatchObject({ orderId: 'o1', userId: 'ben', level: 2 });
  });
});

describe('a retry that overlaps its original answers the first outcome (defect 9)', () => {
  for (const [name, instances] of [
    ['on one instance', 1],
    ['on two instances', 2],
  ] as const) {
    for (const command of ['approve', 'upload', 'grantNew', 'revokeApprover'] as const) {
      it(`${command}, ${name}: the retry looked before the original committed and reads after it`, async () => {
        const base = inMemoryEventStore();
        const ports = sharedPorts();
        await setUp(instance(base, ports, 99));
        const paused = pausingLookup(base);
        const retryingSdk = instance(paused.store, ports, 1);
        const originalSdk = instances === 1 ? retryingSdk : instance(base, ports, 2);
        const sent = { ...commandsOf(COMPANY)[command], commandId: `overlap-${command}` };
        const retry = retryingSdk.dispatchJson(sent)();
        await paused.looked;
        const original = await originalSdk.dispatchJson(sent)();
        paused.release();
        const retried = await retry;
        if (E.isLeft(original)) throw new Error(original.left.message);
        expect(E.isRight(retried) ? retried.right : retried.left).toEqual({ ...original.right, replayed: true });
      });
    }
  }
});

describe('model: random interleavings of a command and its retries (in memory)', () => {
  it('always answer the first outcome and append once, on one and on two instances', async () => {
    const race = raceBench(inMemoryEventStore());
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.constantFrom(...Object.keys(commandsOf(COMPANY))),
        fc.constantFrom(1, 2),
        fc.array(fc.record({ instance: fc.nat({ max: 1 }), late: fc.boolean() }), { minLength: 2, maxLength: 5 }),
        async (scheduler, command, instances, copies) => {
          const result = await race(scheduler, { command, instances, copies });
          const problem = firstOutcomeEverywhere(result, result.commandId);
          if (problem !== undefined) throw new Error(problem);
        },
      ),
      { numRuns: 400 },
    );
  });
});
