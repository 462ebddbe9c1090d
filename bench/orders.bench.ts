/**
 * `ApproveOrders` with OTP verification through `dispatch`, on the in-memory store
 * (`npm run bench -- orders`).
 *
 * Part 1, throughput, on `createSdk` as a host builds it (every inline projection on): commands per
 * second of
 * - approving one order, the approver enrolled (a fresh TOTP code of their soft token each time);
 * - approving one order, the approver not enrolled (the normal flow, no code): the peer that shows
 *   what the OTP costs;
 * - approving a batch of 10 orders with one code.
 * Contenders run in short interleaved rounds (A, B, C, A, B, C, …); rates are medians over the
 * rounds, and a ratio is the median of per-round ratios, so a neighbour's burst of CPU on this
 * shared machine lands on both sides of it.
 *
 * Part 2, where the time of one enrolled approval goes, measured on a runtime composed exactly as
 * `createSdk` composes it but with timers around each part: decoding (the command codecs),
 * loading streams (read and fold), OTP verification (the engine), deciding (everything else in the
 * handler: the order rules, the OTP rule's bookkeeping, the directory), storing (the atomic append),
 * the inline projections (token table, audit trail, orders read model, secret shredder), and the
 * rest (the runtime's idempotency check, event encoding, ids).
 *
 * Always exits 0. `BENCH_SCALE=0.2` runs a fifth of the work, to try the bench out.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { AnyCommandHandler, HandlerContext } from '../src/commands/command-handler.js';
import { createCommandRuntime } from '../src/commands/command-runtime.js';
import type { CommitListener } from '../src/commands/command-runtime.js';
import type { ActivationOutput, RequestTokenAssignmentOutput } from '../src/commands/token/index.js';
import { tokenHandlers } from '../src/commands/token/index.js';
import type { DeviceToken } from '../src/device/index.js';
import { activateDevice } from '../src/device/index.js';
import { decideAgreement } from '../src/domain/agreement/decide.js';
import { evolveAgreement, initialAgreementState } from '../src/domain/agreement/state.js';
import { UploadOrderCodec } from '../src/domain/order/commands.js';
import { decideOrder } from '../src/domain/order/decide.js';
import { decideOrdersAllOrNothing } from '../src/domain/order/effects.js';
import { ordersEventDefinitions } from '../src/domain/order/event-definitions.js';
import { evolveOrder, initialOrderState } from '../src/domain/order/state.js';
import { orderHandlerDeps, ordersHandlers } from '../src/commands/order/index.js';
import { tokenEventDefinitions } from '../src/domain/token/definitions.js';
import type { SdkError } from '../src/errors/sdk-error.js';
import { infrastructure } from '../src/errors/sdk-error.js';
import type { Actor } from '../src/events/envelope.js';
import { eventRegistry } from '../src/events/event-registry.js';
import { builtInOtpEngine } from '../src/otp/built-in-engine.js';
import type { OtpEngine } from '../src/otp/engine.js';
import { manualClock } from '../src/ports/clock.js';
import type { ManualClock } from '../src/ports/clock.js';
import { inMemoryDirectory } from '../src/ports/in-memory-directory.js';
import { inMemorySecretVault } from '../src/ports/in-memory-secret-vault.js';
import { seededRandom } from '../src/ports/random.js';
import { auditProjection } from '../src/projections/audit/projection.js';
import { inlineProjection } from '../src/projections/inline-projection.js';
import { orderAuditActions } from '../src/projections/orders/audit-actions.js';
import { ordersProjection } from '../src/projections/orders/projection.js';
import { tokenTableProjection } from '../src/projections/token-table/projection.js';
import { createSdk } from '../src/sdk/create-sdk.js';
import { secretShredder } from '../src/sdk/secret-shredder.js';
import type { EventStore } from '../src/store/event-store.js';
import { inMemoryEventStore } from '../src/store/in-memory-event-store.js';
import { inMemorySnapshotStore } from '../src/store/snapshot-store.js';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const ROUNDS = Math.max(3, Math.round(15 * scale));
const ROUND_MS = 150;
const BREAKDOWN_COMMANDS = Math.max(200, Math.round(3000 * scale));
const WARM_UP_COMMANDS = Math.max(200, Math.round(2000 * scale));
const STEP_MS = 30_000;
const COMPANY = 'bench-co';
const SERVICE = 'PAGOS';

declare const gc: (() => void) | undefined;
const collect = (): void => {
  if (typeof gc === 'function') gc();
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const quartiles = (values: readonly number[]): readonly [number, number] => {
  const sorted = [...values].sort((a, b) => a - b);
  return [sorted[Math.floor((sorted.length - 1) / 4)] as number, sorted[Math.ceil(((sorted.length - 1) * 3) / 4)] as number];
};
const rate = (value: number): string => (value >= 1000 ? `${(value / 1000).toFixed(1)}k` : value.toFixed(0));

const must = <A>(result: E.Either<SdkError, A>, what: string): A => {
  if (E.isLeft(result)) throw new Error(`${what}: ${result.left.code} ${result.left.message}`);
  return result.right;
};

// ---------------------------------------------------------------------------------------------
// a bank world: a company, an uploader, one approver (enrolled or not), a 1-level agreement
// ---------------------------------------------------------------------------------------------

interface World {
  readonly clock: ManualClock;
  readonly dispatch: (command: unknown) => TaskEither<SdkError, unknown>;
  /** The approver's app, when enrolled. */
  readonly app: DeviceToken | undefined;
  /** Uploads `count` orders outside any measurement and returns their ids. */
  readonly uploadOrders: (count: number) => Promise<readonly string[]>;
  readonly nextCommandId: () => string;
}

const users = ['uploader', 'approver'].map((userId) => ({
  companyId: COMPANY,
  userId,
  displayName: userId,
  active: true,
  email: `${userId}@example.com`,
  mobile: '+593991234567',
  isCompanyAdmin: false,
  securityAnswer: 'Quito',
}));
const as = (userId: string): Actor => ({ kind: 'user', companyId: COMPANY, userId });
const bank: Actor = { kind: 'bank', operatorId: 'bench' };

const setUpWorld = async (dispatch: World['dispatch'], clock: ManualClock, enrolled: boolean, tag: string): Promise<World> => {
  let counter = 0;
  const nextCommandId = (): string => `${tag}-${String(++counter)}`;
  const send = async (actor: Actor, command: Record<string, unknown>): Promise<unknown> =>
    must(await dispatch({ commandId: nextCommandId(), actor, ...command })(), String(command['type']));
  await send(bank, { type: 'ConfigureCompany', companyId: COMPANY, quota: 10, policy: { assignmentConfirmation: 'none', activation: 'security-question' } });
  let app: DeviceToken | undefined;
  if (enrolled) {
    const created = (await send(as('approver'), { type: 'RequestTokenAssignment' })) as { readonly output: RequestTokenAssignmentOutput };
    const activation = created.output.activation as ActivationOutput;
    const device = activateDevice({ serial: created.output.serial, activationCode: activation.activationCode, parameters: activation.otpParameters, random: seededRandom(3) });
    if (E.isLeft(device)) throw new Error(device.left._tag);
    await send(as('approver'), { type: 'EnrollDevice', serial: created.output.serial, registrationCode: device.right.registrationCode });
    await send(as('approver'), { type: 'ActivateToken', serial: created.output.serial, securityAnswer: 'Quito' });
    app = device.right.token;
  }
  await send(bank, { type: 'RegisterServiceAgreement', companyId: COMPANY, serviceId: SERVICE, approvalLevels: 1 });
  await send(bank, { type: 'GrantApprover', companyId: COMPANY, serviceId: SERVICE, userId: 'approver', level: 1 });
  let orders = 0;
  const uploadOrders = async (count: number): Promise<readonly string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const orderId = `${tag}-o${String(++orders)}`;
      await send(as('uploader'), {
        type: 'UploadOrder',
        orderId,
        companyId: COMPANY,
        serviceId: SERVICE,
        kind: 'file',
        reference: `${orderId}.txt`,
        transactionCount: 25,
        total: '18250.40',
        currency: 'USD',
      });
      ids.push(orderId);
    }
    return ids;
  };
  return { clock, dispatch, app, uploadOrders, nextCommandId };
};

const sdkWorld = async (enrolled: boolean, tag: string): Promise<World> => {
  const clock = manualClock(Date.UTC(2025, 2, 3, 9, 0, 0));
  const sdk = createSdk({ clock, random: seededRandom(11), directory: inMemoryDirectory(users) });
  return setUpWorld(sdk.dispatchJson, clock, enrolled, tag);
};

/** One approval of `orderIds`, due one TOTP step after the last: with a fresh code from the app when the approver is enrolled. */
interface Due {
  readonly at: number;
  readonly command: unknown;
}
let lastDue = 0;
const approve = (world: World, orderIds: readonly string[]): Due => {
  const at = Math.max(world.clock.now(), lastDue) + STEP_MS;
  lastDue = at;
  return {
    at,
    command: {
      type: 'ApproveOrders',
      commandId: world.nextCommandId(),
      actor: as('approver'),
      orderIds,
      ...(world.app === undefined ? {} : { otp: world.app.code(at) }),
    },
  };
};

/** Dispatches a prepared approval at its time. */
const run = async (world: World, due: Due, what: string): Promise<void> => {
  world.clock.set(due.at);
  must(await world.dispatch(due.command)(), what);
};

// ---------------------------------------------------------------------------------------------
// part 1: throughput, interleaved rounds
// ---------------------------------------------------------------------------------------------

interface Contender {
  readonly name: string;
  readonly world: World;
  readonly ordersPerCommand: number;
}

/** Commands that fit in one round, found by a short trial. */
const calibrate = async (contender: Contender): Promise<number> => {
  const orderIds = await contender.world.uploadOrders(20 * contender.ordersPerCommand);
  const started = performance.now();
  for (let i = 0; i < 20; i++) await run(contender.world, approve(contender.world, orderIds.slice(i * contender.ordersPerCommand, (i + 1) * contender.ordersPerCommand)), contender.name);
  const perCommand = (performance.now() - started) / 20;
  return Math.max(5, Math.round(ROUND_MS / Math.max(perCommand, 0.001)));
};

/** Commands per second of one round of `calls` commands; the orders are uploaded before the clock starts. */
const round = async (contender: Contender, calls: number): Promise<number> => {
  const orderIds = await contender.world.uploadOrders(calls * contender.ordersPerCommand);
  const commands = Array.from({ length: calls }, (_, i) => approve(contender.world, orderIds.slice(i * contender.ordersPerCommand, (i + 1) * contender.ordersPerCommand)));
  collect();
  const started = performance.now();
  for (const due of commands) await run(contender.world, due, contender.name);
  return calls / ((performance.now() - started) / 1000);
};

// ---------------------------------------------------------------------------------------------
// part 2: where the time goes
// ---------------------------------------------------------------------------------------------

const timers = { decode: 0, load: 0, handle: 0, otp: 0, append: 0, projections: 0 };
type Timer = keyof typeof timers;
const timedSync = <A>(timer: Timer, work: () => A): A => {
  const started = performance.now();
  try {
    return work();
  } finally {
    timers[timer] += performance.now() - started;
  }
};
const timedAsync = async <A>(timer: Timer, work: () => Promise<A>): Promise<A> => {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timers[timer] += performance.now() - started;
  }
};

const timedStore = (store: EventStore): EventStore => ({ ...store, append: (writes) => () => timedAsync('append', store.append(writes)) });
const timedEngine = (engine: OtpEngine): OtpEngine => ({ ...engine, verify: (request) => timedAsync('otp', async () => engine.verify(request)) });
const timedHandler = (handler: AnyCommandHandler): AnyCommandHandler => ({
  ...handler,
  codec: { ...handler.codec, decode: (input: unknown) => timedSync('decode', () => handler.codec.decode(input)) },
  handle: (command, context) => () =>
    timedAsync('handle', () => {
      const load: HandlerContext['load'] = (streamId, fold) => () => timedAsync('load', context.load(streamId, fold));
      return handler.handle(command, { ...context, load })();
    }),
});
const timedListener = (listener: CommitListener): CommitListener => ({ catchUp: () => () => timedAsync('projections', listener.catchUp()) });

/** A runtime composed as createSdk composes it, with timers around each part. */
const instrumentedWorld = async (): Promise<World> => {
  const clock = manualClock(Date.UTC(2025, 2, 3, 9, 0, 0));
  const store = timedStore(inMemoryEventStore());
  const vault = inMemorySecretVault();
  const directory = inMemoryDirectory(users);
  const otpEngine = timedEngine(builtInOtpEngine(vault));
  const registry = eventRegistry([...tokenEventDefinitions, ...ordersEventDefinitions]);
  const runtime = createCommandRuntime({
    store,
    clock,
    random: seededRandom(11),
    eventRegistry: registry,
    snapshots: { store: inMemorySnapshotStore(), every: 10 },
    handlers: [
      ...tokenHandlers({ directory, vault, otpEngine, serialPrefix: 'ST', allowLegacyShortSeeds: false }),
      ...ordersHandlers(orderHandlerDeps({ directory, otpEngine })),
    ].map(timedHandler),
    projections: [
      secretShredder(store, vault),
      inlineProjection(store, tokenTableProjection),
      inlineProjection(store, auditProjection({ actions: orderAuditActions })),
      inlineProjection(store, ordersProjection(registry)),
    ].map(timedListener),
  });
  return setUpWorld(runtime.dispatch, clock, true, 'x');
};

/** Microseconds of the pure order decision of one approval (rules + events), measured on its own. */
const pureDecisionMicros = (): number => {
  const agreementEvents = must(decideAgreement({ type: 'RegisterServiceAgreement', companyId: COMPANY, serviceId: SERVICE, approvalLevels: 1 }, initialAgreementState, { actor: { kind: 'bank', operatorId: 'b' } }), 'register');
  let agreement = agreementEvents.reduce(evolveAgreement, initialAgreementState);
  agreement = must(decideAgreement({ type: 'GrantApprover', companyId: COMPANY, serviceId: SERVICE, userId: 'approver', level: 1 }, agreement, { actor: { kind: 'bank', operatorId: 'b' }, granteeActive: true }), 'grant').reduce(evolveAgreement, agreement);
  const uploader = { kind: 'user', companyId: COMPANY, userId: 'uploader', active: true, isCompanyAdmin: false } as const;
  const command = must(E.mapLeft(() => infrastructure('upload'))(UploadOrderCodec.decode({ type: 'UploadOrder', orderId: 'o', companyId: COMPANY, serviceId: SERVICE, kind: 'single', reference: 'r', total: '1', currency: 'USD' })), 'upload');
  const order = must(decideOrder(command, initialOrderState, { actor: uploader, now: 0, agreement, makerChecker: true }), 'upload').reduce(evolveOrder, initialOrderState);
  const input = { command: { type: 'ApproveOrders' as const, orderId: 'o' }, state: order, facts: { actor: { ...uploader, userId: 'approver' }, now: 0, agreement, makerChecker: true } };
  const calls = 100_000;
  for (let i = 0; i < calls / 10; i++) must(decideOrdersAllOrNothing([input]), 'warm-up');
  const started = performance.now();
  for (let i = 0; i < calls; i++) must(decideOrdersAllOrNothing([input]), 'approve');
  return ((performance.now() - started) * 1000) / calls;
};

// ---------------------------------------------------------------------------------------------

const main = async (): Promise<void> => {
  console.log(`node ${process.version}; ${String(ROUNDS)} interleaved rounds of ~${String(ROUND_MS)} ms per contender; in-memory store, createSdk with every inline projection\n`);
  const contenders: Contender[] = [
    { name: 'ApproveOrders, 1 order, OTP verified', world: await sdkWorld(true, 'a'), ordersPerCommand: 1 },
    { name: 'ApproveOrders, 1 order, approver not enrolled', world: await sdkWorld(false, 'b'), ordersPerCommand: 1 },
    { name: 'ApproveOrders, 10 orders, one OTP', world: await sdkWorld(true, 'c'), ordersPerCommand: 10 },
  ];
  // Warm up every path (the JIT) before anything is measured.
  for (const contender of contenders) await round(contender, Math.max(50, Math.round(WARM_UP_COMMANDS / contender.ordersPerCommand)));
  const calls = new Map<string, number>();
  for (const contender of contenders) calls.set(contender.name, await calibrate(contender));
  const samples = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const contender of contenders) samples.get(contender.name)?.push(await round(contender, calls.get(contender.name) ?? 10));
  }
  const of = (name: string): readonly number[] => samples.get(name) ?? [];
  console.log('| contender | commands/s | orders/s |');
  console.log('|---|---:|---:|');
  for (const contender of contenders) {
    const commands = median(of(contender.name));
    console.log(`| ${contender.name} | ${rate(commands)} | ${rate(commands * contender.ordersPerCommand)} |`);
  }
  const ratio = (a: string, b: string, factor = 1): string => {
    const per = of(a).map((value, index) => (value * factor) / (of(b)[index] ?? value));
    const [low, high] = quartiles(per);
    return `${median(per).toFixed(2)}x (middle half ${low.toFixed(2)}–${high.toFixed(2)})`;
  };
  console.log('\n| comparison (same rounds) | ratio |');
  console.log('|---|---:|');
  console.log(`| OTP-verified approval vs the normal flow (commands/s) | ${ratio(contenders[0]!.name, contenders[1]!.name)} |`);
  console.log(`| batch of 10 with one OTP vs one order per command (orders/s) | ${ratio(contenders[2]!.name, contenders[0]!.name, 10)} |`);

  // part 2
  const world = await instrumentedWorld();
  const warmUp = await world.uploadOrders(WARM_UP_COMMANDS);
  for (const due of warmUp.map((orderId) => approve(world, [orderId]))) await run(world, due, 'warm-up');
  const orderIds = await world.uploadOrders(BREAKDOWN_COMMANDS);
  const commands = orderIds.map((orderId) => approve(world, [orderId]));
  for (const key of Object.keys(timers) as Timer[]) timers[key] = 0;
  collect();
  const started = performance.now();
  for (const due of commands) await run(world, due, 'instrumented ApproveOrders');
  const total = performance.now() - started;
  const perCommand = (ms: number): string => `${((ms * 1000) / commands.length).toFixed(1)} µs`;
  const share = (ms: number): string => `${((100 * ms) / total).toFixed(1)}%`;
  const deciding = timers.handle - timers.load - timers.otp;
  const rest = total - timers.decode - timers.handle - timers.append - timers.projections;
  console.log(`\nWhere the time of one OTP-verified ApproveOrders goes (${String(commands.length)} commands, ${rate(commands.length / (total / 1000))} commands/s with timers on):\n`);
  console.log('| stage | per command | share |');
  console.log('|---|---:|---:|');
  for (const [stage, ms] of [
    ['decoding (command codecs)', timers.decode],
    ['loading streams (read + fold: order, agreement, company, token)', timers.load],
    ['OTP verification (the engine: TOTP ±1 step)', timers.otp],
    ['deciding (order rules, OTP rule, directory)', deciding],
    ['storing (one atomic append: token + order streams)', timers.append],
    ['inline projections (token table, audit, orders, shredder)', timers.projections],
    ['runtime (idempotency check, encoding, event ids)', rest],
  ] as const) {
    console.log(`| ${stage} | ${perCommand(ms)} | ${share(ms)} |`);
  }
  console.log(`| total | ${perCommand(total)} | 100% |`);
  console.log(`\nOf "deciding", the pure order decision (rules and events, measured alone) takes ${pureDecisionMicros().toFixed(1)} µs; the rest is the OTP rule's bookkeeping, the directory port and the asynchronous steps between them.`);
};

await main();
