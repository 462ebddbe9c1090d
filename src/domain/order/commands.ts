import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { commandEnvelopeCodec } from '../../events/command-envelope.js';
import { EntityIdCodec, ServiceIdCodec } from '../agreement/ids.js';
import { CurrencyCodeCodec, DecimalStringCodec } from '../../money/codecs.js';
import { parseMoney } from '../../money/money.js';
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
    total: DecimalStringCodec,
    currency: CurrencyCodeCodec,
  }),
  t.partial({ transactionCount: TransactionCountCodec }),
]);

type UploadFields = t.TypeOf<typeof uploadFields>;

/**
 * `UploadOrder`: a file of transactions (`kind: 'file'`, `transactionCount` required) or a single
 * order (`kind: 'single'`, count 1, may be left out), its reference or file name, and its total as a
 * decimal string in an ISO 4217 currency: `"1234.50"` USD, `"1500"` JPY, `"12.345"` KWD. The total
 * must be above zero and carry no more decimals than the currency has.
 */
export interface UploadOrder {
  readonly type: 'UploadOrder';
  readonly orderId: string;
  readonly companyId: string;
  readonly serviceId: string;
  readonly kind: 'file' | 'single';
  readonly reference: string;
  readonly transactionCount: number;
  readonly total: string;
  readonly currency: UploadFields['currency'];
}

/** io-ts codec of {@link UploadOrder}: checks each field, then the total against the currency and the count against the kind. */
export const UploadOrderCodec = new t.Type<UploadOrder, unknown, unknown>(
  'UploadOrder',
  (input): input is UploadOrder => E.isRight(UploadOrderCodec.decode(input)),
  (input, context) =>
    E.chain((fields: UploadFields): t.Validation<UploadOrder> => {
      const at = (key: string, actual: unknown): t.Context => [...context, { key, type: t.unknown, actual }];
      const amount = parseMoney(fields.total, fields.currency);
      if (E.isLeft(amount)) return t.failure(fields.total, at('total', fields.total), amount.left);
      if (amount.right.minor <= 0n) return t.failure(fields.total, at('total', fields.total), 'must be above zero');
      if (fields.kind === 'file' && fields.transactionCount === undefined) {
        return t.failure(undefined, at('transactionCount', undefined), 'a file needs its transaction count');
      }
      if (fields.kind === 'single' && fields.transactionCount !== undefined && fields.transactionCount !== 1) {
        return t.failure(fields.transactionCount, at('transactionCount', fields.transactionCount), 'a single order is one transaction');
      }
      return t.success({ ...fields, transactionCount: fields.transactionCount ?? 1 });
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
