import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { commandEnvelopeCodec } from '../../events/command-envelope.js';
import { EntityIdCodec, ServiceIdCodec } from '../agreement/ids.js';
import { CurrencyCodeCodec, DecimalStringCodec } from '../../money/codecs.js';
import { formatMoney, parseMoney } from '../../money/money.js';
import type { Payment } from './payments.js';
import { PaymentsCodec, totalsOf } from './payments.js';
import { OrderKindCodec } from './events.js';

/** The most orders one `ApproveOrders` / `RevokeOrders` may carry. */
export const MAX_ORDERS_PER_BATCH = 100;

/** The most transactions one uploaded file may declare. */
export const MAX_TRANSACTIONS = 10_000_000;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const referenceSyntax = /^(?=.*\S)[^\u0000-\u001f\u007f]{1,255}$/su;

/** A file name or order reference as the user sees it: 1 to 255 characters, not only spaces, no control characters. */
export const ReferenceCodec = new t.Type<string, string, unknown>(
  'Reference',
  (input): input is string => typeof input === 'string' && referenceSyntax.test(input),
  (input, context) =>
    typeof input === 'string' && referenceSyntax.test(input)
      ? t.success(input)
      : t.failure(input, context, 'a file name or reference of 1 to 255 characters without control characters'),
  t.identity,
);

/** A transaction count: a whole number from 1 to {@link MAX_TRANSACTIONS}. */
export const TransactionCountCodec = new t.Type<number, number, unknown>(
  'TransactionCount',
  (input): input is number => Number.isInteger(input) && (input as number) >= 1 && (input as number) <= MAX_TRANSACTIONS,
  (input, context) =>
    Number.isInteger(input) && (input as number) >= 1 && (input as number) <= MAX_TRANSACTIONS
      ? t.success(input as number)
      : t.failure(input, context, `a whole number from 1 to ${MAX_TRANSACTIONS}`),
  t.identity,
);

const uploadFields = t.intersection([
  t.type({
    type: t.literal('UploadOrder'),
    orderId: EntityIdCodec,
    companyId: EntityIdCodec,
    serviceId: ServiceIdCodec,
    kind: OrderKindCodec,
    reference: ReferenceCodec,
    currency: CurrencyCodeCodec,
  }),
  t.partial({ transactionCount: TransactionCountCodec, total: DecimalStringCodec, payments: PaymentsCodec }),
]);

type UploadFields = t.TypeOf<typeof uploadFields>;

/**
 * `UploadOrder`: a file of payments (`kind: 'file'`) or a single order (`kind: 'single'`, a file of
 * one), its reference or file name, its currency, and its `payments` (each payee, account, amount,
 * currency, reference; see {@link Payment}). The count and the total are derived from the payments;
 * when `transactionCount` or `total` are given too they must agree. Every payment is in the order's
 * currency. Without `payments` (the 0.1 shape, deprecated) the order is not itemised: its
 * `transactionCount` and `total` are taken as declared, and it cannot be approved under dynamic linking.
 */
export interface UploadOrder {
  readonly type: 'UploadOrder';
  readonly orderId: string;
  readonly companyId: string;
  readonly serviceId: string;
  readonly kind: 'file' | 'single';
  readonly reference: string;
  readonly transactionCount: number;
  /** Decimal string in `currency`; canonical (the currency's minor-unit digits) when derived from payments. */
  readonly total: string;
  readonly currency: UploadFields['currency'];
  /** The order's payments, in file order; absent for a 0.1 (not itemised) order. */
  readonly payments?: readonly Payment[];
}

type Check = (fields: UploadFields, at: (key: string, actual: unknown) => t.Context) => t.Validation<UploadOrder>;

/** An itemised upload: payments in the order's currency, their count and total derived and checked against any declared. */
const itemised =
  (payments: readonly Payment[]): Check =>
  (fields, at) => {
    const foreign = payments.findIndex((payment) => payment.currency !== fields.currency);
    if (foreign >= 0) return t.failure(payments[foreign]?.currency, at(`payments.${foreign}.currency`, payments[foreign]?.currency), `must be the order's currency (${fields.currency})`);
    if (fields.kind === 'single' && payments.length !== 1) return t.failure(payments.length, at('payments', payments), 'a single order is one payment');
    const derived = totalsOf(payments, fields.currency);
    if (fields.transactionCount !== undefined && fields.transactionCount !== derived.transactionCount) {
      return t.failure(fields.transactionCount, at('transactionCount', fields.transactionCount), `must match the payments (${derived.transactionCount})`);
    }
    const declared = fields.total === undefined ? undefined : parseMoney(fields.total, fields.currency);
    if (declared !== undefined && (declared._tag === 'Left' || formatMoney(declared.right) !== derived.total)) {
      return t.failure(fields.total, at('total', fields.total), `must match the sum of the payments (${derived.total})`);
    }
    return t.success({ ...fields, ...derived, payments });
  };

/** A 0.1 upload: count and total as declared. */
const declared: Check = (fields, at) => {
  const { total } = fields;
  if (total === undefined) return t.failure(undefined, at('total', undefined), 'an order without payments needs its total');
  const amount = parseMoney(total, fields.currency);
  if (E.isLeft(amount)) return t.failure(total, at('total', total), amount.left);
  if (amount.right.minor <= 0n) return t.failure(total, at('total', total), 'must be above zero');
  if (fields.kind === 'file' && fields.transactionCount === undefined) {
    return t.failure(undefined, at('transactionCount', undefined), 'a file needs its transaction count');
  }
  if (fields.kind === 'single' && fields.transactionCount !== undefined && fields.transactionCount !== 1) {
    return t.failure(fields.transactionCount, at('transactionCount', fields.transactionCount), 'a single order is one transaction');
  }
  const { payments: _none, ...rest } = fields;
  return t.success({ ...rest, total, transactionCount: fields.transactionCount ?? 1 });
};

/** io-ts codec of {@link UploadOrder}: checks each field and payment, then derives (or, without payments, checks) count and total. */
export const UploadOrderCodec = new t.Type<UploadOrder, unknown, unknown>(
  'UploadOrder',
  (input): input is UploadOrder => E.isRight(UploadOrderCodec.decode(input)),
  (input, context) =>
    E.chain((fields: UploadFields): t.Validation<UploadOrder> => {
      const at = (key: string, actual: unknown): t.Context => [...context, { key, type: t.unknown, actual }];
      return (fields.payments === undefined ? declared : itemised(fields.payments))(fields, at);
    })(uploadFields.validate(input, [...context, { key: '', type: uploadFields, actual: input }])),
  t.identity,
);

const otpField = t.partial({ otp: t.unknown });

/** A non-empty list of distinct order ids, at most {@link MAX_ORDERS_PER_BATCH}; a repeated id is refused at its position. */
export const OrderIdsCodec = new t.Type<readonly string[], readonly string[], unknown>(
  'OrderIds',
  (input): input is readonly string[] => E.isRight(OrderIdsCodec.decode(input)),
  (input, context) =>
    E.chain((ids: readonly string[]): t.Validation<readonly string[]> => {
      if (ids.length === 0) return t.failure(ids, context, 'at least one order');
      if (ids.length > MAX_ORDERS_PER_BATCH) return t.failure(ids, context, `at most ${MAX_ORDERS_PER_BATCH} orders at once`);
      const seen = new Set<string>();
      for (const [index, id] of ids.entries()) {
        if (seen.has(id)) return t.failure(id, [...context, { key: String(index), type: EntityIdCodec, actual: id }], 'the same order twice');
        seen.add(id);
      }
      return t.success(ids);
    })(t.readonlyArray(EntityIdCodec).validate(input, context)),
  t.identity,
);

/**
 * `DeleteOrder`: removes an order pending approval (uploaded by mistake or a duplicate). The OTP rule
 * applies. Like approving and revoking, it names orders of the acting user's company: another
 * company's order id reads as not found.
 */
export const DeleteOrderCodec = t.intersection([t.type({ type: t.literal('DeleteOrder'), orderId: EntityIdCodec }), otpField], 'DeleteOrder');

/** `ApproveOrders`: approves the next level of one or several orders with one OTP, all or nothing. */
export const ApproveOrdersCodec = t.intersection([t.type({ type: t.literal('ApproveOrders'), orderIds: OrderIdsCodec }), otpField], 'ApproveOrders');

/** `RevokeOrders`: cancels one or several approved orders not yet executed, with one OTP, all or nothing. */
export const RevokeOrdersCodec = t.intersection([t.type({ type: t.literal('RevokeOrders'), orderIds: OrderIdsCodec }), otpField], 'RevokeOrders');

/**
 * `MarkOrderExecuted`: the bank reports an approved order as carried out (optionally with its own
 * reference). The bank acts for every company, and order ids are scoped by company: it names both.
 */
export const MarkOrderExecutedCodec = t.intersection(
  [t.type({ type: t.literal('MarkOrderExecuted'), companyId: EntityIdCodec, orderId: EntityIdCodec }), t.partial({ bankReference: ReferenceCodec })],
  'MarkOrderExecuted',
);

/** A decoded `DeleteOrder` command (domain fields; `otp` as typed). */
export type DeleteOrder = t.TypeOf<typeof DeleteOrderCodec>;
/** A decoded `ApproveOrders` command (domain fields; `otp` as typed). */
export type ApproveOrders = t.TypeOf<typeof ApproveOrdersCodec>;
/** A decoded `RevokeOrders` command (domain fields; `otp` as typed). */
export type RevokeOrders = t.TypeOf<typeof RevokeOrdersCodec>;
/** A decoded `MarkOrderExecuted` command (domain fields). */
export type MarkOrderExecuted = t.TypeOf<typeof MarkOrderExecutedCodec>;

/** `DeleteOrder` with its command envelope. */
export const DeleteOrderCommandCodec = t.intersection([commandEnvelopeCodec, DeleteOrderCodec], 'DeleteOrderCommand');

/** `ApproveOrders` with its command envelope. */
export const ApproveOrdersCommandCodec = t.intersection([commandEnvelopeCodec, ApproveOrdersCodec], 'ApproveOrdersCommand');

/** `RevokeOrders` with its command envelope. */
export const RevokeOrdersCommandCodec = t.intersection([commandEnvelopeCodec, RevokeOrdersCodec], 'RevokeOrdersCommand');

/** `UploadOrder` with its command envelope. */
export const UploadOrderCommandCodec = t.intersection([commandEnvelopeCodec, UploadOrderCodec], 'UploadOrderCommand');

/** `MarkOrderExecuted` with its command envelope. */
export const MarkOrderExecutedCommandCodec = t.intersection([commandEnvelopeCodec, MarkOrderExecutedCodec], 'MarkOrderExecutedCommand');
