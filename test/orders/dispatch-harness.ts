import type * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts';
import { createCommandRuntime } from '../../src/commands/command-runtime.js';
import type { CommandRuntime } from '../../src/commands/command-runtime.js';
import type { DispatchResult } from '../../src/commands/command-handler.js';
import type { SdkError } from '../../src/errors/sdk-error.js';
import { otpRejected } from '../../src/errors/sdk-error.js';
import { defineEvent, eventRegistry } from '../../src/events/event-registry.js';
import type { Actor } from '../../src/events/envelope.js';
import { inlineProjection } from '../../src/projections/inline-projection.js';
import type { InlineProjection } from '../../src/projections/inline-projection.js';
import { manualClock } from '../../src/ports/clock.js';
import type { ManualClock } from '../../src/ports/clock.js';
import type { Directory } from '../../src/ports/directory.js';
import { seededRandom } from '../../src/ports/random.js';
import type { EventStore } from '../../src/store/event-store.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import { grantApproverHandler, registerServiceAgreementHandler, revokeApproverHandler } from '../../src/commands/agreement/index.js';
import { ordersEventDefinitions } from '../../src/domain/order/event-definitions.js';
import type { OrderHandlerDeps } from '../../src/commands/order/deps.js';
import type { OtpCheck } from '../../src/commands/confirmation.js';
import { approveOrdersHandler, deleteOrderHandler, markOrderExecutedHandler, revokeOrdersHandler, uploadOrderHandler } from '../../src/commands/order/index.js';
import type { OrdersReadModel } from '../../src/projections/orders/read-model.js';
import { ordersProjection } from '../../src/projections/orders/projection.js';
import { directory as modelDirectory } from './reference-model.js';

/** Stand-ins for the token stream's OTP records, so the handlers' composition can be tested on its own. */
const StubOtpAccepted = defineEvent({ type: 'StubOtpAccepted', codec: t.type({ command: t.string }) });
const StubOtpRejected = defineEvent({ type: 'StubOtpRejected', codec: t.type({ command: t.string }) });

/** The directory of the reference model, as a host port. */
export const testDirectory: Directory = {
  getUser: (companyId, userId) => {
    const entry = modelDirectory[userId];
    return entry === undefined || entry.companyId !== companyId ? undefined : { companyId, userId, displayName: userId, active: entry.active, isCompanyAdmin: entry.admin };
  },
  checkSecurityAnswer: () => false,
};

/**
 * A stand-in OTP gate: users listed in `enrolled` must send `code` (a code is accepted once per user,
 * like a real TOTP step); everybody else is not enrolled.
 */
export const stubOtpGate = (enrolled: ReadonlyMap<string, string>): OrderHandlerDeps['checkOtp'] => {
  const used = new Map<string, number>();
  return (context, request) => {
    if (request.actor.kind !== 'user') return TE.right({ _tag: 'NotEnrolled' });
    const expected = enrolled.get(request.actor.userId);
    if (expected === undefined) return TE.right({ _tag: 'NotEnrolled' });
    if (request.code === undefined) return TE.left({ _tag: 'OtpRequired', code: 'OTP_REQUIRED', message: 'code required' });
    const streamId = `token-${request.actor.userId}`;
    const replay = used.get(request.actor.userId) === context.now;
    if (request.code !== expected || replay) {
      return TE.right({
        _tag: 'Refused',
        serial: request.actor.userId,
        write: { streamId, expectedVersion: 'any', events: [{ type: 'StubOtpRejected', data: { command: request.command } }] },
        error: otpRejected(replay ? 'replay' : 'mismatch'),
      } satisfies OtpCheck);
    }
    used.set(request.actor.userId, context.now);
    return TE.right({
      _tag: 'Confirmed',
      serial: request.actor.userId,
      match: { step: BigInt(context.now), drift: 0 },
      write: { streamId, expectedVersion: 'any', events: [{ type: 'StubOtpAccepted', data: { command: request.command } }] },
    } satisfies OtpCheck);
  };
};

export interface Harness {
  readonly store: EventStore;
  readonly clock: ManualClock;
  readonly runtime: CommandRuntime;
  readonly projection: InlineProjection<OrdersReadModel>;
  readonly dispatch: (command: object) => Promise<E.Either<SdkError, DispatchResult>>;
}

let commandCounter = 0;

/** The order handlers on the kernel's runtime over an in-memory store (or `store`), with the orders projection inline. */
export const harness = (
  options: { readonly store?: EventStore; readonly checkOtp?: OrderHandlerDeps['checkOtp']; readonly makerChecker?: boolean; readonly start?: number; readonly directory?: Directory } = {},
): Harness => {
  const directory = options.directory ?? testDirectory;
  const store = options.store ?? inMemoryEventStore();
  const clock = manualClock(options.start ?? Date.UTC(2025, 5, 2, 9, 0, 0));
  const registry = eventRegistry([...ordersEventDefinitions, StubOtpAccepted, StubOtpRejected]);
  const deps: OrderHandlerDeps = {
    directory,
    checkOtp: options.checkOtp ?? (() => TE.right({ _tag: 'NotEnrolled' })),
    checkDynamicLinking: () => TE.left({ _tag: 'Infrastructure', code: 'INFRASTRUCTURE', message: 'no dynamic linking in this harness' }),
    makerChecker: () => TE.right(options.makerChecker ?? true),
    recordedRefusal: (events) => (events.some((event) => event.type === 'StubOtpRejected') ? otpRejected('mismatch') : undefined),
  };
  const projection = inlineProjection(store, ordersProjection(registry));
  const runtime = createCommandRuntime({
    store,
    eventRegistry: registry,
    clock,
    random: seededRandom(7),
    projections: [projection],
    retry: { sleep: () => Promise.resolve() },
    handlers: [
      registerServiceAgreementHandler(directory),
      grantApproverHandler(directory),
      revokeApproverHandler(directory),
      uploadOrderHandler(deps),
      deleteOrderHandler(deps),
      approveOrdersHandler(deps),
      revokeOrdersHandler(deps),
      markOrderExecutedHandler(deps),
    ],
  });
  return {
    store,
    clock,
    runtime,
    projection,
    dispatch: (command) => runtime.dispatch({ commandId: `cmd-${++commandCounter}`, ...command })(),
  };
};

export const bankActor: Actor = { kind: 'bank', operatorId: 'op-1' };
export const userOf = (userId: string, companyId = 'ACME'): Actor => ({ kind: 'user', companyId, userId });
