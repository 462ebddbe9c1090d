import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { FieldIssue, SdkError } from '../../errors/sdk-error.js';
import { invalidCommand, notFound } from '../../errors/sdk-error.js';
import type { ApprovalBatch } from '../../domain/order/approval-digest.js';
import { approvalBatchOf } from '../../domain/order/approval-factor.js';
import { parseMoney, sumByCurrency } from '../../money/money.js';
import type { Money } from '../../money/money.js';
import { EntityIdCodec, ServiceIdCodec, agreementStreamId } from '../../domain/agreement/ids.js';
import type { ApprovalLevel } from '../../domain/agreement/ids.js';
import { grantsOf } from '../../domain/agreement/state.js';
import { entriesOf, getEntry } from '../../collections/persistent-map.js';
import type { OrderStatus } from '../../domain/order/status.js';
import { OrderStatusCodec } from '../../domain/order/status.js';
import { fieldPath } from './field-path.js';
import { newestFirst } from '../../collections/persistent-vector.js';
import type { OrderRow, OrdersReadModel } from './read-model.js';
import { orderKey } from './read-model.js';

/** The page size when a query names none. */
export const DEFAULT_PAGE_SIZE = 10;
/** The largest page a query may ask for. */
export const MAX_PAGE_SIZE = 100;

const positiveInt = (name: string, max: number): t.Type<number, number> =>
  new t.Type<number, number, unknown>(
    name,
    (input): input is number => Number.isInteger(input) && (input as number) >= 1 && (input as number) <= max,
    (input, context) =>
      Number.isInteger(input) && (input as number) >= 1 && (input as number) <= max ? t.success(input as number) : t.failure(input, context, `a whole number from 1 to ${max}`),
    (n) => n,
  );

const paging = t.partial({ page: positiveInt('Page', Number.MAX_SAFE_INTEGER), pageSize: positiveInt('PageSize', MAX_PAGE_SIZE) });

/** The manual's search form: company, optional service, page and page size (1-based page; default size 10, at most 100). */
export const ViewQueryCodec = t.intersection([t.type({ companyId: EntityIdCodec }), t.partial({ serviceId: ServiceIdCodec }), paging], 'ViewQuery');

/** A search over a company's orders: by service and status (one or several), paged. */
export const OrderSearchCodec = t.intersection(
  [ViewQueryCodec, t.partial({ status: t.union([OrderStatusCodec, t.readonlyArray(OrderStatusCodec)]) })],
  'OrderSearch',
);

/**
 * The Approve view's query. With `approverId`, each row says whether that user can approve its next
 * level now (they hold the grant, have approved no level of it, and — under maker-checker, the
 * default — did not upload it).
 */
export const ApproveViewQueryCodec = t.intersection([ViewQueryCodec, t.partial({ approverId: EntityIdCodec, makerChecker: t.boolean })], 'ApproveViewQuery');

/** A decoded search form. */
export type ViewQuery = t.TypeOf<typeof ViewQueryCodec>;
/** A decoded order search. */
export type OrderSearch = t.TypeOf<typeof OrderSearchCodec>;
/** A decoded Approve view query. */
export type ApproveViewQuery = t.TypeOf<typeof ApproveViewQueryCodec>;

/** A row of a view: the order, and for the Approve view asked for an approver, whether they can approve it now. */
export type OrderViewRow = OrderRow & { readonly canApprove?: boolean };

/** One page of matching orders, newest upload first, with what the screen prints around it. */
export interface OrderPage<Row extends OrderRow = OrderViewRow> {
  readonly rows: readonly Row[];
  readonly page: number;
  readonly pageSize: number;
  /** Matching orders on every page. */
  readonly count: number;
  readonly pages: number;
  /** 1-based position of the page's first and last row ("showing 1 to 5 of 5"); 0 and 0 for an empty page. */
  readonly from: number;
  readonly to: number;
  /** Exact sums of the matching orders' totals, by currency (every page, not only this one). */
  readonly totals: Readonly<Record<string, string>>;
  /** Sum of the matching orders' transaction counts. */
  readonly transactions: number;
}

const decodeQuery = <A>(codec: t.Type<A, unknown>, query: unknown): Either<SdkError, A> =>
  pipe(
    codec.decode(query),
    E.mapLeft((errors) => {
      const issues = new Map<string, FieldIssue>();
      for (const error of errors) {
        const issue = { path: fieldPath(error.context), message: error.message ?? `expected ${error.context[error.context.length - 1]?.type.name ?? 'a value'}` };
        if (!issues.has(issue.path)) issues.set(issue.path, issue);
      }
      return invalidCommand([...issues.values()]);
    }),
  );

const page = (model: OrdersReadModel, query: ViewQuery, keep: (row: OrderRow) => boolean, annotate: (row: OrderRow) => OrderViewRow): OrderPage => {
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  const pageNumber = query.page ?? 1;
  const first = (pageNumber - 1) * pageSize;
  const rows: OrderViewRow[] = [];
  const amounts: Money[] = [];
  let count = 0;
  let transactions = 0;
  const orderIds = getEntry(model.byCompany, query.companyId);
  if (orderIds !== undefined) {
    for (const orderId of newestFirst(orderIds)) {
      const row = getEntry(model.rows, orderKey(query.companyId, orderId));
      if (row === undefined || (query.serviceId !== undefined && row.serviceId !== query.serviceId) || !keep(row)) continue;
      if (count >= first && rows.length < pageSize) rows.push(annotate(row));
      count++;
      transactions += row.transactionCount;
      const amount = parseMoney(row.total, row.currency);
      // A total that does not parse (never written by decide) is left out of the sums.
      amounts.push(...E.match(() => [], (parsed: Money) => [parsed])(amount));
    }
  }
  return {
    rows,
    page: pageNumber,
    pageSize,
    count,
    pages: Math.ceil(count / pageSize),
    from: rows.length === 0 ? 0 : first + 1,
    to: rows.length === 0 ? 0 : first + rows.length,
    totals: sumByCurrency(amounts),
    transactions,
  };
};

const withStatus = (statuses: readonly OrderStatus[]) => (row: OrderRow) => statuses.includes(row.status);

/** Searches a company's orders by service and status, newest upload first, one page at a time. */
export const searchOrders = (model: OrdersReadModel, query: unknown): Either<SdkError, OrderPage> =>
  pipe(
    decodeQuery(OrderSearchCodec, query),
    E.map((search) => {
      const statuses = search.status === undefined ? undefined : typeof search.status === 'string' ? [search.status] : search.status;
      return page(model, search, statuses === undefined ? () => true : withStatus(statuses), (row) => row);
    }),
  );

/** The manual's Delete view: the orders uploaded and still pending approval. */
export const deleteView = (model: OrdersReadModel, query: unknown): Either<SdkError, OrderPage> =>
  pipe(
    decodeQuery(ViewQueryCodec, query),
    E.map((search) => page(model, search, withStatus(['pending-approval']), (row) => row)),
  );

const canApprove = (model: OrdersReadModel, row: OrderRow, approverId: string, makerChecker: boolean): boolean => {
  if (row.status !== 'pending-approval') return false;
  if (makerChecker && row.uploadedBy === approverId) return false;
  if (row.approvals.some((approval) => approval.userId === approverId)) return false;
  const agreement = getEntry(model.agreements, agreementStreamId(row.companyId, row.serviceId));
  const next = (row.approvals.length + 1) as ApprovalLevel;
  return agreement !== undefined && grantsOf(agreement, approverId).includes(next);
};

/** The manual's Approve view: orders pending approval, and those approved earlier that still wait for execution. */
export const approveView = (model: OrdersReadModel, query: unknown): Either<SdkError, OrderPage> =>
  pipe(
    decodeQuery(ApproveViewQueryCodec, query),
    E.map((search) => {
      const { approverId } = search;
      const makerChecker = search.makerChecker ?? true;
      return page(
        model,
        search,
        withStatus(['pending-approval', 'approved']),
        approverId === undefined ? (row) => row : (row) => ({ ...row, canApprove: canApprove(model, row, approverId, makerChecker) }),
      );
    }),
  );

/** The manual's Revoke view: orders approved and not yet executed. */
export const revokeView = (model: OrdersReadModel, query: unknown): Either<SdkError, OrderPage> =>
  pipe(
    decodeQuery(ViewQueryCodec, query),
    E.map((search) => page(model, search, withStatus(['approved']), (row) => row)),
  );

/** One order of a company by its id, or undefined (also when only another company has an order with that id). */
export const orderById = (model: OrdersReadModel, companyId: string, orderId: string): OrderRow | undefined =>
  // From plain JavaScript anything may arrive: ids that are not strings name no order.
  typeof companyId === 'string' && typeof orderId === 'string' ? getEntry(model.rows, orderKey(companyId, orderId)) : undefined;

/** A service agreement as the search form and the approver screens show it. */
export interface AgreementSummary {
  readonly companyId: string;
  readonly serviceId: string;
  readonly approvalLevels: ApprovalLevel;
  /** Each approver with the levels they hold, by user id. */
  readonly approvers: readonly { readonly userId: string; readonly levels: readonly ApprovalLevel[] }[];
}

/** A company's service agreements in registration order: the services of the search form, with levels and approvers. */
export const agreementsOf = (model: OrdersReadModel, companyId: string): readonly AgreementSummary[] =>
  (typeof companyId === 'string' ? (getEntry(model.servicesByCompany, companyId) ?? []) : []).flatMap((serviceId) => {
    const agreement = getEntry(model.agreements, agreementStreamId(companyId, serviceId));
    if (agreement === undefined) return [];
    const approvers = [...entriesOf(agreement.grants)]
      .map(([userId, levels]) => ({ userId, levels }))
      .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    return [{ companyId, serviceId, approvalLevels: agreement.approvalLevels, approvers }];
  });

/**
 * What an approver's app receives to approve `orderIds` of `companyId` under dynamic linking: the
 * company and each order's id, currency and payments (`ApprovalBatch`). The app shows the payees and
 * totals, recomputes the digest from exactly this and answers its OCRA question. An unknown order is
 * `NotFound`; a 0.1 order without payments is `PreconditionFailed` (`itemised`).
 */
export const approvalBatch = (model: OrdersReadModel, companyId: string, orderIds: readonly string[]): Either<SdkError, ApprovalBatch> =>
  pipe(
    Array.isArray(orderIds) ? E.right((orderIds as readonly unknown[]).map(String)) : E.left(invalidCommand([{ path: 'orderIds', message: 'must be an array of order ids' }])),
    E.chain((ids) =>
      pipe(
        ids,
        E.traverseArray((orderId) => {
          const row = orderById(model, companyId, orderId);
          const payments = row === undefined ? undefined : getEntry(model.payments, orderKey(companyId, orderId));
          return row === undefined ? E.left(notFound('order', orderId)) : E.right({ ...row, ...(payments === undefined ? {} : { payments }) });
        }),
      ),
    ),
    E.chain((orders) => approvalBatchOf(companyId, orders)),
  );
