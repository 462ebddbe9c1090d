import type { DispatchResult } from '../commands/command-handler.js';
import type { LogAnchor } from '../store/log-anchor.js';
import type { ChainReport } from '../store/verify-chain.js';
import type { AuditPage, AuditQuery } from '../projections/audit/view.js';
import type { OrderRow } from '../projections/orders/read-model.js';
import type { ApprovalBatch } from '../domain/order/approval-digest.js';
import type { AgreementSummary, OrderPage } from '../projections/orders/views.js';
import type { TokenTablePage, TokenTableQuery } from '../projections/token-table/view.js';
import type { CommandOf, CommandType, OutputOf } from '../sdk/command-registry.js';
import { createSdk as createFpSdk, type Sdk, type SdkConfig } from '../sdk/create-sdk.js';
import type { EventStore } from '../store/event-store.js';
import { settle, type Result } from './result.js';

/** The views in their Promise form: the same screens, each call resolving to a {@link Result}. */
export interface PromiseViews {
  /** One page of a company's token table. */
  readonly tokenTable: (companyId: string, query?: TokenTableQuery) => Promise<Result<TokenTablePage>>;
  /** One page of the audit trail, newest first. */
  readonly audit: (query?: AuditQuery) => Promise<Result<AuditPage>>;
  /** The order screens: search, Delete, Approve and Revoke views, one order, a company's agreements. */
  readonly orders: {
    /** A company's orders by service and status, paged. */
    readonly search: (query: unknown) => Promise<Result<OrderPage>>;
    /** Orders pending approval. */
    readonly toDelete: (query: unknown) => Promise<Result<OrderPage>>;
    /** Orders pending approval and approved ones pending execution. */
    readonly toApprove: (query: unknown) => Promise<Result<OrderPage>>;
    /** Orders approved and not yet executed. */
    readonly toRevoke: (query: unknown) => Promise<Result<OrderPage>>;
    /** One order of a company, or undefined. */
    readonly order: (companyId: string, orderId: string) => Promise<Result<OrderRow | undefined>>;
    /** A company's service agreements with their levels and approvers. */
    readonly agreements: (companyId: string) => Promise<Result<readonly AgreementSummary[]>>;
    /** What an approver's app receives to approve these orders under dynamic linking. */
    readonly approvalBatch: (companyId: string, orderIds: readonly string[]) => Promise<Result<ApprovalBatch>>;
  };
}

/**
 * The SDK for hosts that do not use fp-ts: the same commands, views and verification, each call
 * returning a `Promise` of a {@link Result} that never rejects.
 */
export interface PromiseSdk {
  /** Validates, authorises and runs a typed command; the output is typed by the command's `type`. */
  readonly dispatch: <T extends CommandType>(command: CommandOf<T>) => Promise<Result<DispatchResult<OutputOf<T>>>>;
  /** The same for untrusted input (a JSON body): any value is decoded; the output is `unknown`. */
  readonly dispatchJson: (input: unknown) => Promise<Result<DispatchResult>>;
  /** The operator-level views (every company). */
  readonly views: PromiseViews;
  /** The views bound to who asks (see `Sdk.viewsFor`): another company's data reads as not found. */
  readonly viewsFor: (actor: unknown) => PromiseViews;
  /** Checks every stream's hash chain, where each stream ends, and the log up to an anchor kept elsewhere. */
  readonly verify: (options?: { readonly anchor?: LogAnchor }) => Promise<Result<ChainReport>>;
  /** A checkpoint of the whole log to keep outside the store (see `Sdk.anchor`). */
  readonly anchor: (from?: LogAnchor) => Promise<Result<LogAnchor>>;
  /** The store the SDK writes to. */
  readonly store: EventStore;
}

// The views are looked up inside each call, so that even a binding that throws resolves to a Result.
const promiseViews = (views: () => Sdk['views']): PromiseViews => ({
  tokenTable: (companyId, query) => settle(() => views().tokenTable(companyId, query)),
  audit: (query) => settle(() => views().audit(query)),
  orders: {
    search: (query) => settle(() => views().orders.search(query)),
    toDelete: (query) => settle(() => views().orders.toDelete(query)),
    toApprove: (query) => settle(() => views().orders.toApprove(query)),
    toRevoke: (query) => settle(() => views().orders.toRevoke(query)),
    order: (companyId, orderId) => settle(() => views().orders.order(companyId, orderId)),
    agreements: (companyId) => settle(() => views().orders.agreements(companyId)),
    approvalBatch: (companyId, orderIds) => settle(() => views().orders.approvalBatch(companyId, orderIds)),
  },
});

/** The Promise form of an fp-ts {@link Sdk}: the same SDK (same store, same projections), another calling style. */
export const promiseSdk = (given: Sdk): PromiseSdk => {
  // From plain JavaScript anything may arrive: what is not an SDK becomes one that refuses every call.
  const candidate: unknown = given;
  const sdk = typeof candidate === 'object' && candidate !== null ? given : createFpSdk(null as never);
  return {
    dispatch: <T extends CommandType>(command: CommandOf<T>) => settle(() => sdk.dispatch(command)),
    dispatchJson: (input) => settle(() => sdk.dispatchJson(input)),
    views: promiseViews(() => sdk.views),
    viewsFor: (actor) => promiseViews(() => sdk.viewsFor(actor)),
    verify: (options) => settle(() => sdk.verify(options)),
    anchor: (from) => settle(() => sdk.anchor(from)),
    store: sdk.store,
  };
};

/** Builds the SDK as `createSdk` from `softtoken-sdk` does, in its Promise form. */
export const createSdk = (config: SdkConfig = {}): PromiseSdk => promiseSdk(createFpSdk(config));
