/**
 * Which factor confirms the approval of a service's orders: the plain OTP rule, or dynamic linking
 * (an OCRA response over the approval digest, docs/dynamic-linking.md), optionally only above an
 * amount per currency. Set per company and service with `RegisterServiceAgreement`.
 */
import * as t from 'io-ts';
import { CurrencyCodeCodec, DecimalStringCodec } from '../../money/codecs.js';
import type { CurrencyCode } from '../../money/currencies.js';
import { formatMoney, parseMoney } from '../../money/money.js';

/** `otp`: any code of the approver's token (the OTP rule); `dynamic-linking`: the OCRA response over the batch's digest. */
export const ApprovalFactorCodec = t.keyof({ otp: null, 'dynamic-linking': null }, 'ApprovalFactor');

/** The factor an agreement asks for its approvals. */
export type ApprovalFactor = t.TypeOf<typeof ApprovalFactorCodec>;

/**
 * Under `dynamic-linking`, the amount per currency above which an order needs it (an order of a total
 * at or below it is approved with the OTP rule); a currency not listed always needs it. Amounts are
 * decimal strings in their currency, stored canonically.
 */
export const DynamicLinkingAboveCodec = new t.Type<Readonly<Record<string, string>>, Readonly<Record<string, string>>, unknown>(
  'DynamicLinkingAbove',
  (input): input is Readonly<Record<string, string>> => DynamicLinkingAboveCodec.validate(input, [])._tag === 'Right',
  (input, context) => {
    const record = t.record(CurrencyCodeCodec, DecimalStringCodec).validate(input, context);
    if (record._tag === 'Left') return record;
    const out: Record<string, string> = {};
    for (const [currency, amount] of Object.entries(record.right) as [CurrencyCode, string][]) {
      const money = parseMoney(amount, currency);
      if (money._tag === 'Left') return t.failure(amount, [...context, { key: currency, type: DecimalStringCodec, actual: amount }], money.left);
      out[currency] = formatMoney(money.right);
    }
    return t.success(out);
  },
  t.identity,
);

/** An agreement's approval factor policy. */
export interface ApprovalFactorPolicy {
  readonly approvalFactor: ApprovalFactor;
  /** Only under `dynamic-linking`; empty: every order needs it. */
  readonly dynamicLinkingAbove: Readonly<Record<string, string>>;
}

/** The policy of an agreement that never set one: the OTP rule. */
export const defaultApprovalFactorPolicy: ApprovalFactorPolicy = { approvalFactor: 'otp', dynamicLinkingAbove: {} };

/** Whether approving an order of `total` in `currency` needs dynamic linking under `policy`. */
export const needsDynamicLinking = (policy: ApprovalFactorPolicy, order: { readonly total: string; readonly currency: CurrencyCode }): boolean => {
  if (policy.approvalFactor !== 'dynamic-linking') return false;
  const threshold = policy.dynamicLinkingAbove[order.currency];
  if (threshold === undefined) return true;
  const limit = parseMoney(threshold, order.currency);
  const total = parseMoney(order.total, order.currency);
  return limit._tag === 'Left' || total._tag === 'Left' || total.right.minor > limit.right.minor;
};

/** Whether two policies say the same. */
export const samePolicy = (a: ApprovalFactorPolicy, b: ApprovalFactorPolicy): boolean => {
  const keys = (policy: ApprovalFactorPolicy): string => JSON.stringify(Object.entries(policy.dynamicLinkingAbove).sort());
  return a.approvalFactor === b.approvalFactor && keys(a) === keys(b);
};
