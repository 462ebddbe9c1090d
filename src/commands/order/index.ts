import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { AnyCommandHandler } from '../command-handler.js';
import { recordedRefusal } from '../token/outcomes.js';
import type { OtpEngine } from '../../otp/engine.js';
import type { Directory } from '../../ports/directory.js';
import { grantApproverHandler, registerServiceAgreementHandler, revokeApproverHandler } from '../agreement/index.js';
import { companyStreamId } from '../../domain/company/events.js';
import { companyFold } from '../../domain/company/fold.js';
import { checkOtp } from '../confirmation.js';
import { checkDynamicLinking } from './dynamic-linking-confirmation.js';
import type { OrderHandlerDeps } from './deps.js';
import { approveOrdersHandler } from './approve-orders.js';
import { deleteOrderHandler } from './delete-order.js';
import { markOrderExecutedHandler } from './mark-order-executed.js';
import { revokeOrdersHandler } from './revoke-orders.js';
import { uploadOrderHandler } from './upload-order.js';

/**
 * The order handlers' dependencies over the SDK's ports: the token domain's OTP rule on `otpEngine`,
 * the maker-checker setting of the company's policy (on until `ConfigureCompany` says otherwise), and
 * the token domain's reading of recorded refusals.
 */
export const orderHandlerDeps = (ports: { readonly directory: Directory; readonly otpEngine: OtpEngine }): OrderHandlerDeps => ({
  directory: ports.directory,
  checkOtp: checkOtp(ports.otpEngine),
  checkDynamicLinking: checkDynamicLinking(ports.otpEngine),
  makerChecker: (context, companyId) =>
    pipe(
      context.load(companyStreamId(companyId), companyFold),
      TE.map(({ state }) => state.policy.makerChecker),
    ),
  recordedRefusal,
});

/** Every handler of the orders domain: the service agreements (bank side) and the orders. */
export const ordersHandlers = (deps: OrderHandlerDeps): readonly AnyCommandHandler[] => [
  registerServiceAgreementHandler(deps.directory),
  grantApproverHandler(deps.directory),
  revokeApproverHandler(deps.directory),
  uploadOrderHandler(deps),
  deleteOrderHandler(deps),
  approveOrdersHandler(deps),
  revokeOrdersHandler(deps),
  markOrderExecutedHandler(deps),
] as readonly AnyCommandHandler[];

export type { OrderHandlerDeps } from './deps.js';
export { gatherActor } from './deps.js';
export type { DecidedOrders } from './load-and-decide-orders.js';
export { confirmWithOtp, loadAndDecideOrders } from './load-and-decide-orders.js';
export type { OrderMove, OrdersOutput, UploadOrderOutput } from './outputs.js';
export { movesOf } from './outputs.js';
export { approveOrdersHandler } from './approve-orders.js';
export { ApproveOrdersCommandCodec } from '../../domain/order/commands.js';
export { deleteOrderHandler } from './delete-order.js';
export { DeleteOrderCommandCodec } from '../../domain/order/commands.js';
export { markOrderExecutedHandler } from './mark-order-executed.js';
export { MarkOrderExecutedCommandCodec } from '../../domain/order/commands.js';
export { revokeOrdersHandler } from './revoke-orders.js';
export { RevokeOrdersCommandCodec } from '../../domain/order/commands.js';
export { uploadOrderHandler } from './upload-order.js';
export { UploadOrderCommandCodec } from '../../domain/order/commands.js';
