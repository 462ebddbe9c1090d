import * as E from 'fp-ts/lib/Either.js';
import type { OrderStatus } from '../../src/domain/order/status.js';
import type { OrderPage } from '../../src/projections/orders/views.js';
import { approveView, deleteView, revokeView, searchOrders } from '../../src/projections/orders/views.js';
import type { OrdersReadModel } from '../../src/projections/orders/read-model.js';
import type { ModelOrder, ReferenceModel, Status } from './reference-model.js';
import { decimalOf } from './reference-model.js';

export const iso = (ms: number): string => new Date(ms).toISOString();

/** What a row must show, from the reference model. */
export const expectedRow = (order: ModelOrder) => ({
  orderId: order.orderId,
  companyId: order.companyId,
  serviceId: order.serviceId,
  kind: order.kind,
  reference: order.reference,
  transactionCount: order.count,
  total: decimalOf(order.minor, order.currency),
  currency: order.currency,
  status: order.status,
  requiredLevels: order.required,
  approvals: order.approvals.map((approval) => ({ level: approval.level, userId: approval.userId, at: iso(approval.at) })),
  uploadedBy: order.uploader,
  uploadedAt: iso(order.uploadedAt),
  possibleDuplicate: order.duplicateOf.length > 0,
  duplicateOf: order.duplicateOf,
});

const rowShape = (row: OrderPage['rows'][number]) => ({
  orderId: row.orderId,
  companyId: row.companyId,
  serviceId: row.serviceId,
  kind: row.kind,
  reference: row.reference,
  transactionCount: row.transactionCount,
  total: row.total,
  currency: row.currency,
  status: row.status,
  requiredLevels: row.requiredLevels,
  approvals: row.approvals,
  uploadedBy: row.uploadedBy,
  uploadedAt: row.uploadedAt,
  possibleDuplicate: row.possibleDuplicate,
  duplicateOf: row.duplicateOf,
});

const totalsOf = (orders: readonly ModelOrder[]): Record<string, string> => {
  const sums = new Map<'USD' | 'EUR' | 'JPY', bigint>();
  for (const order of orders) sums.set(order.currency, (sums.get(order.currency) ?? 0n) + order.minor);
  return Object.fromEntries([...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, minor]) => [currency, decimalOf(minor, currency)]));
};

/** Deep equality through JSON (fast enough for thousands of runs); the error shows both sides. */
export const same = (actual: unknown, expected: unknown, what: string): void => {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what} differs\n  actual:   ${a}\n  expected: ${b}`);
};

/** Every page of a view, checked against the model's matching orders. */
export const expectPages = (
  run: (page: number) => ReturnType<typeof searchOrders>,
  expected: readonly ModelOrder[],
  pageSize: number,
  extra?: (row: OrderPage['rows'][number], order: ModelOrder) => void,
): void => {
  const pages = Math.ceil(expected.length / pageSize);
  for (let page = 1; page <= Math.max(1, pages) + 1; page++) {
    const result = run(page);
    if (E.isLeft(result)) throw new Error(result.left.message);
    const slice = expected.slice((page - 1) * pageSize, page * pageSize);
    same(result.right.rows.map(rowShape), slice.map(expectedRow), `rows of page ${page}`);
    const { rows: _rows, ...frame } = result.right;
    same(
      frame,
      {
        page,
        pageSize,
        count: expected.length,
        pages,
        from: slice.length === 0 ? 0 : (page - 1) * pageSize + 1,
        to: slice.length === 0 ? 0 : (page - 1) * pageSize + slice.length,
        totals: totalsOf(expected),
        transactions: expected.reduce((sum, order) => sum + order.count, 0),
      },
      `page ${page}`,
    );
    if (extra !== undefined) result.right.rows.forEach((row, index) => { extra(row, slice[index]!); });
  }
};

const statusSets: readonly (readonly Status[] | undefined)[] = [undefined, ['pending-approval'], ['approved'], ['executed'], ['deleted'], ['revoked'], ['approved', 'executed']];

/** Compares every view of the read model with the reference model, for every company, service and status filter. */
export const expectViewsAgree = (readModel: OrdersReadModel, model: ReferenceModel, pageSize: number, companies: readonly string[], services: readonly (string | undefined)[], approvers: readonly string[]): void => {
  for (const companyId of companies) {
    for (const serviceId of services) {
      const filter = serviceId === undefined ? {} : { serviceId };
      for (const statuses of statusSets) {
        expectPages(
          (page) => searchOrders(readModel, { companyId, ...filter, page, pageSize, ...(statuses === undefined ? {} : { status: statuses as OrderStatus[] }) }),
          model.search(companyId, serviceId, statuses),
          pageSize,
        );
      }
      expectPages((page) => deleteView(readModel, { companyId, ...filter, page, pageSize }), model.search(companyId, serviceId, ['pending-approval']), pageSize);
      expectPages((page) => revokeView(readModel, { companyId, ...filter, page, pageSize }), model.search(companyId, serviceId, ['approved']), pageSize);
      for (const approverId of approvers) {
        expectPages(
          (page) => approveView(readModel, { companyId, ...filter, page, pageSize, approverId, makerChecker: model.makerChecker }),
          model.search(companyId, serviceId, ['pending-approval', 'approved']),
          pageSize,
          (row, order) => {
            same(row.canApprove, model.canApprove(order, approverId), `canApprove of ${order.orderId} for ${approverId}`);
          },
        );
      }
    }
  }
};
