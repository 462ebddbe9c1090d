import type { AnyCommandHandler } from '../command-handler.js';
import { activateTokenHandler } from './activate-token.js';
import { clearSecurityQuestionLockHandler } from './clear-security-question-lock.js';
import { configureCompanyHandler } from '../company/configure-company.js';
import { confirmTokenAssignmentHandler } from './confirm-token-assignment.js';
import type { TokenHandlerDeps } from './context.js';
import { deleteTokenHandler } from './delete-token.js';
import { enrollDeviceHandler } from './enroll-device.js';
import { enrollDeviceV2Handler } from './enroll-device-v2.js';
import { rejectConfirmationHandler } from './reject-confirmation.js';
import { requestConfirmationHandler, type ConfirmationHandlerDeps } from './request-confirmation.js';
import { importPhysicalTokenHandler } from './import-physical-token.js';
import { importPhysicalTokensHandler } from './import-physical-tokens.js';
import { assignPhysicalTokenHandler } from './assign-physical-token.js';
import { reissueActivationCodeHandler } from './reissue-activation-code.js';
import { requestTokenAssignmentHandler } from './request-token-assignment.js';
import { resyncTokenHandler } from './resync-token.js';
import { unlockTokenHandler } from './unlock-token.js';
import { verifyOtpHandler } from './verify-otp.js';
import { suspendTokenHandler } from './suspend-token.js';
import { resumeTokenHandler } from './resume-token.js';
import { reportTokenLostHandler } from './report-token-lost.js';
import { reactivateTokenHandler } from './reactivate-token.js';

export * from './activate-token.js';
export * from './clear-security-question-lock.js';
export * from '../../domain/token/commands.js';
export * from '../../domain/company/commands.js';
export * from '../company/configure-company.js';
export * from './confirm-token-assignment.js';
export type { ActivationCodeDeliveryRoute, ActivationOutput, TokenHandlerDeps } from './context.js';
export * from './delete-token.js';
export * from './enroll-device.js';
export * from './enroll-device-v2.js';
export * from './reject-confirmation.js';
export * from './request-confirmation.js';
export * from '../../domain/token/confirmation-commands.js';
export * from './import-physical-token.js';
export * from './import-physical-tokens.js';
export * from './assign-physical-token.js';
export * from './request-token-assignment.js';
export * from './resync-token.js';
export * from './unlock-token.js';
export * from './verify-otp.js';
export * from './suspend-token.js';
export * from './resume-token.js';
export * from './report-token-lost.js';
export * from './reactivate-token.js';

/** The soft-token lifecycle's command handlers, one per command of the table. */
export const tokenHandlers = (deps: TokenHandlerDeps): readonly AnyCommandHandler[] =>
  [
    configureCompanyHandler(),
    requestTokenAssignmentHandler(deps),
    confirmTokenAssignmentHandler(deps),
    reissueActivationCodeHandler(deps),
    enrollDeviceHandler(deps),
    enrollDeviceV2Handler(deps),
    activateTokenHandler(deps),
    deleteTokenHandler(deps),
    importPhysicalTokenHandler(deps),
    importPhysicalTokensHandler(deps),
    assignPhysicalTokenHandler(deps),
    verifyOtpHandler(deps),
    unlockTokenHandler(deps),
    resyncTokenHandler(deps),
    clearSecurityQuestionLockHandler(deps),
    suspendTokenHandler(deps),
    resumeTokenHandler(deps),
    reportTokenLostHandler(deps),
    reactivateTokenHandler(deps),
  ] as readonly AnyCommandHandler[];

/** The handlers of app confirmations (issue 15): a challenge for the app, and the app's rejection. */
export const confirmationHandlers = (deps: ConfirmationHandlerDeps): readonly AnyCommandHandler[] =>
  [requestConfirmationHandler(deps), rejectConfirmationHandler(deps)] as readonly AnyCommandHandler[];
