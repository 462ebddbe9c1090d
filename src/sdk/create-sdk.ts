import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { AnyCommandHandler, DispatchResult } from '../commands/command-handler.js';
import { createCommandRuntime, type CommitListener } from '../commands/command-runtime.js';
import type { RetryPolicy } from '../commands/retry.js';
import type { SnapshotPolicy } from '../commands/stream-loader.js';
import { confirmationHandlers, describeTargetWith, tokenHandlers } from '../commands/token/index.js';
import type { ConfirmationDelivery } from '../ports/confirmation-delivery.js';
import { tokenEventDefinitions } from '../domain/token/definitions.js';
import { DEFAULT_SERIAL_PREFIX, SERIAL_PREFIX_PATTERN } from '../domain/token/serial.js';
import { invalidCommand, type SdkError } from '../errors/sdk-error.js';
import { eventRegistry, type EventDefinition } from '../events/event-registry.js';
import { verifyAll, type ChainReport } from '../store/verify-chain.js';
import { anchorLog, isLogAnchor, type LogAnchor } from '../store/log-anchor.js';
import { builtInOtpEngine } from '../otp/built-in-engine.js';
import type { OtpEngine } from '../otp/engine.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { ActivationCodeDelivery } from '../ports/activation-code-delivery.js';
import type { Directory } from '../ports/directory.js';
import { inMemoryDirectory } from '../ports/in-memory-directory.js';
import { inMemorySecretVault } from '../ports/in-memory-secret-vault.js';
import { cryptoRandom, type Random } from '../ports/random.js';
import type { SecretVault } from '../ports/secret-vault.js';
import { auditPage, type AuditPage, type AuditQuery } from '../projections/audit/view.js';
import { auditProjection } from '../projections/audit/projection.js';
import { tokenTableProjection } from '../projections/token-table/projection.js';
import { ownerNames } from '../projections/token-table/owner-names.js';
import { tokenTablePage, type TokenTablePage, type TokenTableQuery } from '../projections/token-table/view.js';
import type { EventStore } from '../store/event-store.js';
import { inMemoryEventStore } from '../store/in-memory-event-store.js';
import { inMemorySnapshotStore } from '../store/snapshot-store.js';
import { inlineProjection } from '../projections/inline-projection.js';
import { viewsForActor } from './actor-views.js';
import type { CommandOf, CommandType, OutputOf } from './command-registry.js';
import { secretShredder } from './secret-shredder.js';
import { ordersEventDefinitions } from '../domain/order/event-definitions.js';
import { orderHandlerDeps, ordersHandlers } from '../commands/order/index.js';
import { orderAuditActions } from '../projections/orders/audit-actions.js';
import { ordersProjection } from '../projections/orders/projection.js';
import type { OrderRow } from '../projections/orders/read-model.js';
import type { ApprovalBatch } from '../domain/order/approval-digest.js';
import type { AgreementSummary, OrderPage } from '../projections/orders/views.js';
import { agreementsOf, approvalBatch, approveView, deleteView, orderById, revokeView, searchOrders } from '../projections/orders/views.js';
import { isInstrumentation, isLogger, type Instrumentation } from '../ports/instrumentation.js';
import type { Logger } from '../ports/logger.js';
import { observedDispatch, observedEngine, observedListener, observedRetry, observedStore, observationOf } from './observe.js';

/** How to build an SDK. Every port defaults to its in-memory (or built-in) version. */
export interface SdkConfig {
  readonly store?: EventStore;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly directory?: Directory;
  readonly vault?: SecretVault;
  /**
   * How an activation code issued by a company admin or the bank (ConfirmTokenAssignment,
   * ReissueActivationCode, RequestTokenAssignment for another user under `assignmentConfirmation:
   * 'none'`) reaches the token's owner: SMS, e-mail, the bank's app. Such a code is never in the
   * admin's output. Without it those commands are refused (`PRECONDITION_FAILED
   * activation-code-delivery`); an owner acting for themself still gets the code in their output.
   */
  readonly activationCodeDelivery?: ActivationCodeDelivery;
  /**
   * How a confirmation challenge (`RequestConfirmation`) reaches the token's app: push or a queue
   * the app polls. Without it the host takes the challenge from the command's output.
   */
  readonly confirmationDelivery?: ConfirmationDelivery;
  /** Default: the built-in HOTP/TOTP engine over `vault`. */
  readonly otpEngine?: OtpEngine;
  /** The bank prefix of soft-token serials: 1 to 4 upper-case letters (default `ST`). */
  readonly serialPrefix?: string;
  /** Let ImportPhysicalToken take seeds under 128 bits when a command sets `legacyShortSeed` (default false). */
  readonly allowLegacyShortSeeds?: boolean;
  /** More command handlers (another domain's), registered beside the soft-token handlers. */
  readonly handlers?: readonly AnyCommandHandler[];
  /** Their event definitions. */
  readonly events?: readonly EventDefinition[];
  /** How their events name commands in the audit trail (event type -> command type). */
  readonly auditActions?: Readonly<Record<string, string>>;
  /** More inline listeners to run after each commit (another domain's projections). */
  readonly projections?: readonly CommitListener[];
  readonly retry?: RetryPolicy;
  /**
   * Default: in-memory snapshots every 10 events. Without snapshots every OTP-confirmed command
   * folds the confirming token's whole history (one `OtpAccepted` per use) and every upload folds its
   * agreement's whole index: the cost of a command would grow with every command before it.
   */
  readonly snapshots?: SnapshotPolicy;
  /**
   * Traces and metrics: a span per dispatch with child spans for the store append and the OTP
   * verification, command/OTP/lock/conflict/retry counters, projection lag. Build one with
   * `openTelemetryInstrumentation` of `softtoken-sdk/otel`. Default: none, at no cost.
   */
  readonly instrumentation?: Instrumentation;
  /**
   * Where the SDK logs what an operator acts on (retries exhausted, infrastructure failures,
   * projection failures): a pino logger fits as it is. Never a secret. Default: no logging.
   */
  readonly logger?: Logger;
}

/** The SDK: commands in, events stored, read models out. */
export interface Sdk {
  /**
   * Validates, authorises and runs a typed command; the output is typed by the command's `type`.
   * The command is still decoded at run time (a JavaScript caller may pass anything).
   */
  readonly dispatch: <T extends CommandType>(command: CommandOf<T>) => TE.TaskEither<SdkError, DispatchResult<OutputOf<T>>>;
  /**
   * The same for untrusted input (a JSON body from HTTP, a queue message): any value is decoded,
   * and a value that is not a command answers `InvalidCommand` naming the field. The output is
   * `unknown` because the command's type is only known at run time.
   */
  readonly dispatchJson: (input: unknown) => TE.TaskEither<SdkError, DispatchResult>;
  readonly views: {
    /** One page of a company's token table (the Occidente screen). */
    readonly tokenTable: (companyId: string, query?: TokenTableQuery) => TE.TaskEither<SdkError, TokenTablePage>;
    /** One page of the audit trail, newest first. */
    readonly audit: (query?: AuditQuery) => TE.TaskEither<SdkError, AuditPage>;
    /** The order screens of the manual (Administración de Órdenes): search, Delete, Approve and Revoke views, one order, a company's agreements. */
    readonly orders: {
      /** A company's orders by service and status, paged (`OrderSearchCodec`). */
      readonly search: (query: unknown) => TE.TaskEither<SdkError, OrderPage>;
      /** Orders pending approval (`ViewQueryCodec`). */
      readonly toDelete: (query: unknown) => TE.TaskEither<SdkError, OrderPage>;
      /** Orders pending approval and approved ones pending execution; with `approverId`, whether each can be approved by them now (`ApproveViewQueryCodec`). */
      readonly toApprove: (query: unknown) => TE.TaskEither<SdkError, OrderPage>;
      /** Orders approved and not yet executed (`ViewQueryCodec`). */
      readonly toRevoke: (query: unknown) => TE.TaskEither<SdkError, OrderPage>;
      /** One order of a company, or undefined (order ids are scoped by company). */
      readonly order: (companyId: string, orderId: string) => TE.TaskEither<SdkError, OrderRow | undefined>;
      /** A company's service agreements with their levels and approvers. */
      readonly agreements: (companyId: string) => TE.TaskEither<SdkError, readonly AgreementSummary[]>;
      /** What an approver's app receives to approve these orders under dynamic linking: their payments (docs/dynamic-linking.md). */
      readonly approvalBatch: (companyId: string, orderIds: readonly string[]) => TE.TaskEither<SdkError, ApprovalBatch>;
    };
  };
  /**
   * The same views bound to who asks (the actor a command would carry). A bank operator sees every
   * company. A user (an active user, under the directory's canonical id) sees only their own
   * company: another company's token table, orders, agreements and audit entries read as not found
   * (or an empty page), as for a company that does not exist; their Approve view is computed for
   * them. The unbound `views` are operator-level: a host that shows them to users must filter.
   */
  readonly viewsFor: (actor: unknown) => Sdk['views'];
  /**
   * Checks every stream's hash chain end to end, and that each chain ends at the head the store
   * recorded; with `{ anchor }` (from {@link Sdk.anchor}, kept outside the store), also that the
   * log up to the anchor is unchanged. See the README's security notes for what this proves.
   */
  readonly verify: (options?: { readonly anchor?: LogAnchor }) => TE.TaskEither<SdkError, ChainReport>;
  /**
   * A checkpoint of the whole log to keep OUTSIDE the store. Pass the previous anchor to extend it
   * (only newer events are read); without one, reads the whole log.
   */
  readonly anchor: (from?: LogAnchor) => TE.TaskEither<SdkError, LogAnchor>;
  /** The store the SDK writes to (for hosts' own projections). */
  readonly store: EventStore;
}

/** The answer to a view argument that is not a string (hosts call views from plain JavaScript too). */
const notAString = (path: string): TE.TaskEither<SdkError, never> => TE.left(invalidCommand([{ path, message: 'must be a string' }]));

/** `sdk.verify`'s options, from a caller who may pass anything. */
const verifyWith = (store: EventStore, options: unknown): TE.TaskEither<SdkError, ChainReport> => {
  if (options === undefined) return verifyAll(store);
  if (typeof options !== 'object' || options === null) return TE.left(invalidCommand([{ path: '', message: 'must be an object with an optional anchor' }]));
  const anchor: unknown = (options as { readonly anchor?: unknown }).anchor;
  if (anchor === undefined) return verifyAll(store);
  if (!isLogAnchor(anchor)) return TE.left(invalidCommand([{ path: 'anchor', message: 'must be an anchor as anchor() returned it: { globalPosition, eventCount, logHash }' }]));
  return verifyAll(store, { anchor });
};

/**
 * Wires the ports, registers the soft-token handlers and the orders handlers (service agreements and
 * orders with up to 4 approval levels; plus any `handlers` given), runs the token table, the audit
 * trail, the orders read model and the secret shredder inline after each commit, and returns the SDK.
 * A configuration that cannot work (a bad serial prefix) makes every call answer with an
 * `InvalidCommand` naming the setting, rather than throwing.
 */
export const createSdk = (configArgument: SdkConfig = {}): Sdk => {
  // From plain JavaScript anything may arrive: a configuration that is not an object is refused like a bad setting.
  const given: unknown = configArgument;
  const configIsObject = typeof given === 'object' && given !== null;
  const config: SdkConfig = configIsObject ? configArgument : {};
  const store = config.store ?? inMemoryEventStore();
  const clock = config.clock ?? systemClock;
  const random = config.random ?? cryptoRandom;
  const directory = config.directory ?? inMemoryDirectory();
  const vault = config.vault ?? inMemorySecretVault();
  const allowLegacyShortSeeds = config.allowLegacyShortSeeds === true;
  const observation = observationOf(config.instrumentation, config.logger);
  const givenEngine = config.otpEngine ?? builtInOtpEngine(vault, { allowShortSecret: allowLegacyShortSeeds });
  const otpEngine = observation === undefined ? givenEngine : observedEngine(givenEngine, observation);
  const serialPrefix = config.serialPrefix ?? DEFAULT_SERIAL_PREFIX;

  const badSetting = !configIsObject
    ? { path: 'config', message: 'must be an object' }
    : typeof serialPrefix !== 'string' || !SERIAL_PREFIX_PATTERN.test(serialPrefix)
      ? { path: 'config.serialPrefix', message: 'must be 1 to 4 upper-case letters' }
      : config.instrumentation !== undefined && !isInstrumentation(config.instrumentation)
        ? { path: 'config.instrumentation', message: 'must be an Instrumentation (openTelemetryInstrumentation of softtoken-sdk/otel)' }
        : config.logger !== undefined && !isLogger(config.logger)
          ? { path: 'config.logger', message: 'must be a logger with debug, info, warn and error functions' }
          : undefined;
  if (badSetting !== undefined) {
    const refused = TE.left<SdkError>(invalidCommand([badSetting]));
    const orders = { search: () => refused, toDelete: () => refused, toApprove: () => refused, toRevoke: () => refused, order: () => refused, agreements: () => refused, approvalBatch: () => refused };
    const views = { tokenTable: () => refused, audit: () => refused, orders };
    return { dispatch: () => refused, dispatchJson: () => refused, views, viewsFor: () => views, verify: () => refused, anchor: () => refused, store };
  }

  const tokenTable = inlineProjection(store, tokenTableProjection);
  const audit = inlineProjection(store, auditProjection({ actions: { ...orderAuditActions, ...config.auditActions } }));
  const registry = eventRegistry([...tokenEventDefinitions, ...ordersEventDefinitions, ...(config.events ?? [])]);
  const orders = inlineProjection(store, ordersProjection(registry));
  const shredder = secretShredder(store, vault);
  const listeners: readonly CommitListener[] = [shredder, tokenTable, audit, orders, ...(config.projections ?? [])];
  const positioned = new Map<CommitListener, { readonly name: string; readonly position: () => number }>([tokenTable, audit, orders].map((projection) => [projection, projection]));
  const retry = observation === undefined ? config.retry : observedRetry(config.retry, observation);
  // RequestConfirmation decodes and digests its target with the target's own handler.
  let handlersByType: ReadonlyMap<string, AnyCommandHandler> = new Map();
  const confirmation = confirmationHandlers({
    directory,
    describeTarget: describeTargetWith(() => handlersByType),
    ...(config.confirmationDelivery === undefined ? {} : { confirmationDelivery: config.confirmationDelivery }),
  });
  const handlers: readonly AnyCommandHandler[] = [
    ...tokenHandlers({
      directory,
      vault,
      otpEngine,
      serialPrefix,
      allowLegacyShortSeeds,
      ...(config.activationCodeDelivery === undefined ? {} : { activationCodeDelivery: config.activationCodeDelivery }),
    }),
    ...confirmation,
    ...ordersHandlers(orderHandlerDeps({ directory, otpEngine })),
    ...(config.handlers ?? []),
  ];
  handlersByType = new Map(handlers.map((handler) => [handler.type, handler]));
  const runtime = createCommandRuntime({
    store: observation === undefined ? store : observedStore(store, observation),
    clock,
    random,
    handlers,
    eventRegistry: registry,
    projections:
      observation === undefined
        ? listeners
        : listeners.map((listener, index) => {
            const projection = positioned.get(listener);
            return observedListener(projection?.name ?? (listener === shredder ? 'secret-shredder' : `listener-${String(index)}`), listener, observation, projection?.position);
          }),
    ...(retry === undefined ? {} : { retry }),
    snapshots: config.snapshots ?? { store: inMemorySnapshotStore(), every: 10 },
  });

  const dispatch = observation === undefined ? runtime.dispatch : observedDispatch(runtime.dispatch, new Set(handlers.map((handler) => handler.type)), observation);
  const sdk: Sdk = {
    // The registry's types describe what the handlers registered above decode and answer.
    dispatch: dispatch as Sdk['dispatch'],
    dispatchJson: dispatch,
    views: {
      tokenTable: (companyId, query = {}) =>
        pipe(
          tokenTable.catchUp(),
          TE.chain((state) =>
            pipe(
              ownerNames(directory, state, companyId),
              TE.chainEitherK((names) => tokenTablePage(state, companyId, query, clock.now(), (userId) => names.get(userId) ?? userId)),
            ),
          ),
        ),
      audit: (query = {}) =>
        pipe(
          audit.catchUp(),
          TE.chainEitherK((state) => auditPage(state, query)),
        ),
      orders: {
        search: (query) => pipe(orders.catchUp(), TE.chainEitherK((state) => searchOrders(state, query))),
        toDelete: (query) => pipe(orders.catchUp(), TE.chainEitherK((state) => deleteView(state, query))),
        toApprove: (query) => pipe(orders.catchUp(), TE.chainEitherK((state) => approveView(state, query))),
        toRevoke: (query) => pipe(orders.catchUp(), TE.chainEitherK((state) => revokeView(state, query))),
        order: (companyId, orderId) =>
          typeof companyId !== 'string' ? notAString('companyId') : typeof orderId !== 'string' ? notAString('orderId') : pipe(orders.catchUp(), TE.map((state) => orderById(state, companyId, orderId))),
        agreements: (companyId) => (typeof companyId === 'string' ? pipe(orders.catchUp(), TE.map((state) => agreementsOf(state, companyId))) : notAString('companyId')),
        approvalBatch: (companyId, orderIds) =>
          typeof companyId === 'string' ? pipe(orders.catchUp(), TE.chainEitherK((state) => approvalBatch(state, companyId, orderIds))) : notAString('companyId'),
      },
    },
    viewsFor: (actor) => viewsForActor({ views: sdk.views, directory, store })(actor),
    verify: (options) => verifyWith(store, options),
    anchor: (from) => anchorLog(store, from),
    store,
  };
  return sdk;
};

