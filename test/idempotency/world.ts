import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { DispatchResult } from '../../src/commands/command-handler.js';
import type { SdkError } from '../../src/errors/sdk-error.js';
import { canonicalJson } from '../../src/events/canonical-json.js';
import type { Actor, JsonValue } from '../../src/events/envelope.js';
import { manualClock } from '../../src/ports/clock.js';
import type { ManualClock } from '../../src/ports/clock.js';
import { inMemoryDirectory } from '../../src/ports/in-memory-directory.js';
import type { Directory } from '../../src/ports/directory.js';
import { inMemorySecretVault } from '../../src/ports/in-memory-secret-vault.js';
import { seededRandom } from '../../src/ports/random.js';
import { createSdk } from '../../src/sdk/create-sdk.js';
import type { Sdk } from '../../src/sdk/create-sdk.js';
import type { EventStore } from '../../src/store/event-store.js';
import { bank, person, T0, user } from '../sdk/harness.js';

/** Wraps every call of a store: `around` runs the call, and may hold it back before or after. */
export const interceptedStore = (inner: EventStore, around: <A>(method: keyof EventStore, call: TaskEither<SdkError, A>) => TaskEither<SdkError, A>): EventStore => ({
  readStream: (streamId, options) => around('readStream', inner.readStream(streamId, options)),
  readAll: (options) => around('readAll', inner.readAll(options)),
  append: (writes, receipt) => around('append', inner.append(writes, receipt)),
  readCommand: (commandId) => around('readCommand', inner.readCommand(commandId)),
  lookupCommand: (commandId) => around('lookupCommand', inner.lookupCommand(commandId)),
});

/** A promise and the function that settles it. */
export const latch = (): { readonly promise: Promise<void>; readonly open: () => void } => {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
};

/**
 * A store whose next `lookupCommand` answers what it read, but only once `release` is called:
 * a retry that looked for its commandId just before its original committed, and goes on after.
 */
export const pausingLookup = (inner: EventStore): { readonly store: EventStore; readonly looked: Promise<void>; readonly release: () => void } => {
  const looked = latch();
  const released = latch();
  let paused = false;
  const store = interceptedStore(inner, (method, call) => async () => {
    const result = await call();
    // The runtime looks a command up with lookupCommand (readCommand before 0.2).
    if ((method === 'lookupCommand' || method === 'readCommand') && !paused) {
      paused = true;
      looked.open();
      await released.promise;
    }
    return result;
  });
  return { store, looked: looked.promise, release: released.open };
};

export const COMPANY = 'acme';
export const SERVICE = 'NOMINA';
export const as = (userId: string, companyId = COMPANY): Actor => user(companyId, userId);

export const people = (companyId = COMPANY) => [person(companyId, 'up'), person(companyId, 'ana'), person(companyId, 'ben')];

/** One SDK instance on `store`; two instances on one store share the directory and the vault, as two backends of one bank do. */
export const instance = (store: EventStore, shared: { readonly clock: ManualClock; readonly directory: Directory }, seed: number): Sdk =>
  createSdk({ store, clock: shared.clock, directory: shared.directory, vault: inMemorySecretVault(), random: seededRandom(seed), retry: { sleep: () => Promise.resolve() } });

export const sharedPorts = (companies: readonly string[] = [COMPANY]) => ({ clock: manualClock(T0), directory: inMemoryDirectory(companies.flatMap((companyId) => people(companyId))) });

export const ok = async (sdk: Sdk, command: Record<string, unknown>): Promise<DispatchResult> => {
  const result = await sdk.dispatchJson(command)();
  if (E.isLeft(result)) throw new Error(`${String(command['type'])} failed: ${result.left.code} ${result.left.message}`);
  return result.right;
};

/**
 * A company with a two-level agreement, ana approving level 1 and ben level 2, and order `o1`
 * uploaded by `up`. Nobody is enrolled: the manual's normal flow needs no code.
 */
export const setUp = async (sdk: Sdk, companyId = COMPANY, prefix = 'setup'): Promise<void> => {
  await ok(sdk, { type: 'RegisterServiceAgreement', commandId: `${prefix}-1`, actor: bank, companyId, serviceId: SERVICE, approvalLevels: 2 });
  await ok(sdk, { type: 'GrantApprover', commandId: `${prefix}-2`, actor: bank, companyId, serviceId: SERVICE, userId: 'ana', level: 1 });
  await ok(sdk, { type: 'GrantApprover', commandId: `${prefix}-3`, actor: bank, companyId, serviceId: SERVICE, userId: 'ben', level: 2 });
  await ok(sdk, { ...upload(orderOf(companyId, 'o1'), companyId), commandId: `${prefix}-4` });
};

export const upload = (orderId: string, companyId = COMPANY): Record<string, unknown> => ({
  type: 'UploadOrder',
  actor: as('up', companyId),
  orderId,
  companyId,
  serviceId: SERVICE,
  kind: 'file',
  reference: `${orderId}.txt`,
  transactionCount: 3,
  total: '1500.00',
  currency: 'USD',
});

/** An order id of a company: order ids are global (for now), so each company of a run has its own. */
export const orderOf = (companyId: string, orderId: string): string => (companyId === COMPANY ? orderId : `${companyId}-${orderId}`);

/** The commands the model races, by name: some append, some change nothing. */
export const commandsOf = (companyId: string): Readonly<Record<string, Record<string, unknown>>> => ({
  approve: { type: 'ApproveOrders', actor: as('ana', companyId), orderIds: [orderOf(companyId, 'o1')] },
  upload: upload(orderOf(companyId, 'o2'), companyId),
  grantNew: { type: 'GrantApprover', actor: bank, companyId, serviceId: SERVICE, userId: 'ben', level: 1 },
  grantHeld: { type: 'GrantApprover', actor: bank, companyId, serviceId: SERVICE, userId: 'ana', level: 1 },
  sameLevels: { type: 'RegisterServiceAgreement', actor: bank, companyId, serviceId: SERVICE, approvalLevels: 2 },
  revokeApprover: { type: 'RevokeApprover', actor: bank, companyId, serviceId: SERVICE, userId: 'ana', level: 1 },
});

/** What every copy of a raced command answered, and what the store holds for its commandId. */
export interface RaceResult {
  readonly answers: readonly E.Either<SdkError, DispatchResult>[];
  readonly stored: Awaited<ReturnType<ReturnType<EventStore['lookupCommand']>>>;
  readonly eventsWithId: number;
}

const json = (value: unknown): string => canonicalJson(value as JsonValue);

/** Checks the property of idempotency: every copy answers the first outcome, and the command is applied once. */
export const firstOutcomeEverywhere = (result: RaceResult, commandId: string): string | undefined => {
  const answers: DispatchResult[] = [];
  for (const answer of result.answers) {
    if (E.isLeft(answer)) return `a copy answered ${answer.left.code}: ${answer.left.message}`;
    answers.push(answer.right);
  }
  const first = answers.filter((answer) => !answer.replayed);
  if (first.length !== 1) return `${String(first.length)} copies answered as the first one`;
  const [original] = first;
  for (const answer of answers) {
    const same = json({ ...answer, replayed: false }) === json(original);
    if (!same) return `a copy answered ${json(answer)}, the first ${json(original)}`;
  }
  if (E.isLeft(result.stored) || result.stored.right === undefined) return 'the store does not know the command';
  if (result.stored.right.metadata.commandId !== commandId) return 'the store recorded another commandId';
  if (json(result.stored.right.events) !== json(original?.events)) return 'the store holds other events than the first outcome';
  if (result.eventsWithId !== original?.events.length) return `the log holds ${String(result.eventsWithId)} events of the command, the outcome ${String(original?.events.length)}`;
  return undefined;
};

/** One copy of the raced command: which instance sends it, and whether it is sent only after the others settled. */
export interface Copy {
  readonly instance: number;
  readonly late: boolean;
}

/** What `race` needs of `fc.scheduler()`. */
export interface RaceScheduler {
  readonly schedule: <T>(task: Promise<T>, label?: string) => Promise<T>;
  readonly waitFor: <T>(task: Promise<T>) => Promise<T>;
}

/**
 * A bench that races copies of one command (the original and its retries) through two SDK
 * instances on one store (or one store per instance, on one database), with every store call of
 * theirs, before and after it runs, released in the order the run's scheduler picks: every
 * interleaving of lookups, reads and appends can come up. The instances live across runs (each
 * run uses a company of its own), so their projections never fold the whole log again.
 */
export const raceBench = (storeOrStores: EventStore | readonly EventStore[]) => {
  // Instance i talks to stores[i]: on PostgreSQL, two stores of one schema over two pools.
  const stores = Array.isArray(storeOrStores) ? (storeOrStores as readonly EventStore[]) : [storeOrStores as EventStore];
  const base = stores[0] as EventStore;
  const ports = { clock: manualClock(T0), directory: inMemoryDirectory() };
  let scheduler: RaceScheduler | undefined;
  const setUpSdk = instance(base, ports, 99);
  const sdks = [0, 1].map((index) =>
    instance(
      interceptedStore(stores[index % stores.length] as EventStore, (method, call) => async () => {
        if (scheduler === undefined) return call();
        const current = scheduler;
        await current.schedule(Promise.resolve(), `${String(index)}:${method}:before`);
        const result = await call();
        return current.schedule(Promise.resolve(result), `${String(index)}:${method}:after`);
      }),
      ports,
      index + 1,
    ),
  );
  let run = 0;
  return async (runScheduler: RaceScheduler, options: { readonly command: string; readonly instances: number; readonly copies: readonly Copy[] }): Promise<RaceResult & { readonly commandId: string }> => {
    const companyId = `c${String(++run)}`;
    for (const person of people(companyId)) ports.directory.upsert(person);
    scheduler = undefined;
    await setUp(setUpSdk, companyId, `setup-${companyId}`);
    scheduler = runScheduler;
    const commandId = `race-${companyId}`;
    const command = { ...commandsOf(companyId)[options.command], commandId };
    const send = (copy: Copy) => (sdks[copy.instance % options.instances] as Sdk).dispatchJson(command)();
    try {
      const early = await runScheduler.waitFor(Promise.all(options.copies.filter((copy) => !copy.late).map(send)));
      const late = await runScheduler.waitFor(Promise.all(options.copies.filter((copy) => copy.late).map(send)));
      const log = await base.readAll({ fromPosition: 0, limit: 100_000 })();
      if (E.isLeft(log)) throw new Error(log.left.message);
      return {
        commandId,
        answers: [...early, ...late],
        stored: await base.lookupCommand(commandId)(),
        eventsWithId: log.right.filter((event) => event.metadata.commandId === commandId).length,
      };
    } finally {
      scheduler = undefined;
    }
  };
};
