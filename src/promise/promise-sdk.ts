import type { DispatchResult } from '../commands/command-handler.js';
import type { ChainReport } from '../events/verify-chain.js';
import type { AuditPage, AuditQuery } from '../projections/audit/view.js';
import type { OrderRow } from '../projections/orders/read-model.js';
import type { AgreementSummary, OrderPage } from '../projections/orders/views.js';
import type { TokenTablePage, TokenTableQuery } from '../projections/token-table/view.js';
import type { CommandOf, CommandType, OutputOf } from '../sdk/command-registry.js';
import { createSdk as createFpSdk, type Sdk, type SdkConfig } from '../sdk/create-sdk.js';
import type { EventStore } from '../store/event-store.js';
import { settle, type Result } from './result.js';

/**
 * The SDK for hosts that do not use fp-ts: the same commands, views and verification, each call
 * returning a `Promise` of a {@link Result} that never rejects.
 */
export interface PromiseSdk {
  /** Validates, authorises and runs a typed command; the output is typed by the command's `type`. */
  readonly dispatch: <T extends CommandType>(command: CommandOf<T>) => Promise<Result<DispatchResult<OutputOf<T>>>>;
  /** The same for untrusted input (a JSON body): any value is decoded; the output is `unknown`. */
  readonly dispatchJson: (input: unknown) => Promise<Result<DispatchResult>>;
  readonly views: {
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
      /** One order, or undefined. */
      readonly order: (orderId: string) => Promise<Result<OrderRow | undefined>>;
      /** A company's service agreements with their levels and approvers. */
      readonly agreements: (companyId: string) => Promise<Result<readonly AgreementSummary[]>>;
    };
  };
  /** Checks every stream's hash chain end to end. */
  readonly verify: () => Promise<Result<ChainReport>>;
  /** The store the SDK writes to. */
  readonly store: EventStore;
}

/** The Promise form of an fp-ts {@link Sdk}: the same SDK (same store, same projections), another calling style. */
export const promiseSdk = (sdk: Sdk): PromiseSdk => {
  const { orders } = sdk.views;
  return {
    dispatch: <T extends CommandType>(command: CommandOf<T>) => settle(() => sdk.dispatch(command)),
    dispatchJson: (input) => settle(() => sdk.dispatchJson(input)),
    views: {
      tokenTable: (companyId, query) => settle(() => sdk.views.tokenTable(companyId, query)),
      audit: (query) => settle(() => sdk.views.audit(query)),
      orders: {
        search: (query) => settle(() => orders.search(query)),
        toDelete: (query) => settle(() => orders.toDelete(query)),
        toApprove: (query) => settle(() => orders.toApprove(query)),
        toRevoke: (query) => settle(() => orders.toRevoke(query)),
        order: (orderId) => settle(() => orders.order(orderId)),
        agreements: (companyId) => settle(() => orders.agreements(companyId)),
      },
    },
    verify: () => settle(() => sdk.verify()),
    store: sdk.store,
  };
};

/** Builds the SDK as `createSdk` from `softtoken-sdk` does, in its Promise form. */
export const createSdk = (config: SdkConfig = {}): PromiseSdk => promiseSdk(createFpSdk(config));
