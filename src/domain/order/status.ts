import * as t from 'io-ts';

/** Every state an order can be in, in lifecycle order. */
export const orderStatuses = ['pending-approval', 'approved', 'executed', 'deleted', 'revoked'] as const;

/**
 * Where an order is: `pending-approval` (with the levels approved so far), `approved` (pending
 * execution at the bank), `executed`; or `deleted` (before approval) or `revoked` (after approval,
 * before execution). The last three are final.
 */
export type OrderStatus = (typeof orderStatuses)[number];

/** io-ts codec of an {@link OrderStatus}. */
export const OrderStatusCodec = new t.Type<OrderStatus, string, unknown>(
  'OrderStatus',
  (input): input is OrderStatus => typeof input === 'string' && (orderStatuses as readonly string[]).includes(input),
  (input, context) =>
    typeof input === 'string' && (orderStatuses as readonly string[]).includes(input)
      ? t.success(input as OrderStatus)
      : t.failure(input, context, `one of ${orderStatuses.join(', ')}`),
  t.identity,
);
