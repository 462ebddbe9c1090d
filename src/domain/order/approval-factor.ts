/**
 * Which factor an approval needs, and what dynamic linking binds it to: if any order of the batch
 * falls under its agreement's dynamic-linking policy, the whole batch is confirmed by one OCRA
 * response over the digest of every order in it (one approval, one code, as with the OTP rule).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { SdkError } from '../../errors/sdk-error.js';
import { preconditionFailed } from '../../errors/sdk-error.js';
import { defaultApprovalFactorPolicy, needsDynamicLinking } from '../agreement/approval-factor.js';
import type { AgreementState } from '../agreement/state.js';
import type { ApprovalBatch, ApprovalDigest } from './approval-digest.js';
import { approvalDigest } from './approval-digest.js';
import { DYNAMIC_LINKING_SUITE, ocraChallengeOf } from './approval-challenge.js';
import type { Order } from './state.js';

/** The factor an approval needs: the OTP rule, or dynamic linking with the batch's digest and OCRA question. */
export type ApprovalFactorNeeded =
  | { readonly _tag: 'otp' }
  | { readonly _tag: 'dynamic-linking'; readonly batch: ApprovalBatch; readonly digest: ApprovalDigest; readonly suite: string; readonly question: string };

/** One order of a batch being approved, with the agreement (policy) of its service as loaded. */
export interface OrderUnderApproval {
  readonly order: Order;
  readonly agreement: AgreementState;
}

/**
 * What the approver's app receives for a batch, and what the digest covers: the company and each
 * order's id, currency and payments. A 0.1 order, uploaded without its payments, has no payees to
 * show or bind: it is refused (`PreconditionFailed`, precondition `itemised`).
 */
export const approvalBatchOf = (companyId: string, orders: readonly Pick<Order, 'orderId' | 'currency' | 'payments'>[]): Either<SdkError, ApprovalBatch> => {
  const legacy = orders.find((order) => order.payments === undefined);
  return legacy === undefined
    ? E.right({ companyId, orders: orders.map((order) => ({ orderId: order.orderId, currency: order.currency, payments: order.payments ?? [] })) })
    : E.left(
        preconditionFailed(
          'itemised',
          `order ${legacy.orderId} was uploaded without its payments: dynamic linking cannot show or bind its payees (delete it and upload it with its payments)`,
        ),
      );
};

/** The digest and OCRA question of a batch, as the server and the app both derive them. */
export const dynamicLinkingOf = (batch: ApprovalBatch): Either<SdkError, Extract<ApprovalFactorNeeded, { _tag: 'dynamic-linking' }>> =>
  pipe(
    approvalDigest(batch),
    E.chain((digest) =>
      pipe(
        ocraChallengeOf(digest, DYNAMIC_LINKING_SUITE),
        E.map((question) => ({ _tag: 'dynamic-linking' as const, batch, digest, suite: DYNAMIC_LINKING_SUITE, question })),
      ),
    ),
  );

/**
 * The factor approving `orders` (of `companyId`) needs: dynamic linking as soon as one order's
 * agreement asks for it at that order's total, else the OTP rule.
 */
export const approvalFactorOf = (companyId: string, orders: readonly OrderUnderApproval[]): Either<SdkError, ApprovalFactorNeeded> =>
  orders.some(({ order, agreement }) => needsDynamicLinking(agreement.status === 'registered' ? agreement.approvalFactor : defaultApprovalFactorPolicy, order))
    ? pipe(
        approvalBatchOf(
          companyId,
          orders.map(({ order }) => order),
        ),
        E.chain(dynamicLinkingOf),
      )
    : E.right({ _tag: 'otp' });
