import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { AnyCommandHandler } from '../../../commands/command-handler.js';
import { recordedRefusal } from '../../../commands/token/outcomes.js';
import type { OtpEngine } from '../../../otp/engine.js';
import type { Directory } from '../../../ports/directory.js';
import { grantApproverHandler, registerServiceAgreementHandler, revokeApproverHandler } from '../../agreement/handlers.js';
import { companyStreamId } from '../../company/events.js';
import { companyFold } from '../../company/fold.js';
import { checkOtp } from '../../otp-rule/confirm.js';
import type { OrderHandlerDeps } from './deps.js';
import { approveOrdersHandler, deleteOrderHandler, markOrderExecutedHandler, revokeOrdersHandler, uploadOrderHandler } from './handlers.js';

/**
 * The order handlers' dependencies over the SDK's ports: the token domain's OTP rule on `otpEngine`,
 * the maker-checker setting of the company's policy (on until `ConfigureCompany` says otherwise), and
 * the token domain's reading of recorded refusals.
 */
export const orderHandlerDeps = (ports: { readonly directory: Directory; readonly otpEngine: OtpEngine }): OrderHandlerDeps => ({
  directory: ports.directory,
  checkOtp: checkOtp(ports.otpEngine),
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
