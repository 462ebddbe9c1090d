import type { grantApproverHandler } from '../commands/agreement/grant-approver.js';
import type { registerServiceAgreementHandler } from '../commands/agreement/register-service-agreement.js';
import type { revokeApproverHandler } from '../commands/agreement/revoke-approver.js';
import type { approveOrdersHandler } from '../commands/order/approve-orders.js';
import type { deleteOrderHandler } from '../commands/order/delete-order.js';
import type { markOrderExecutedHandler } from '../commands/order/mark-order-executed.js';
import type { revokeOrdersHandler } from '../commands/order/revoke-orders.js';
import type { uploadOrderHandler } from '../commands/order/upload-order.js';
import type { CommandHandler } from '../commands/command-handler.js';
import type { activateTokenHandler } from '../commands/token/activate-token.js';
import type { configureCompanyHandler } from '../commands/company/configure-company.js';
import type { clearSecurityQuestionLockHandler } from '../commands/token/clear-security-question-lock.js';
import type { confirmTokenAssignmentHandler } from '../commands/token/confirm-token-assignment.js';
import type { deleteTokenHandler } from '../commands/token/delete-token.js';
import type { enrollDeviceHandler } from '../commands/token/enroll-device.js';
import type { enrollDeviceV2Handler } from '../commands/token/enroll-device-v2.js';
import type { rejectConfirmationHandler } from '../commands/token/reject-confirmation.js';
import type { requestConfirmationHandler } from '../commands/token/request-confirmation.js';
import type { importPhysicalTokenHandler } from '../commands/token/import-physical-token.js';
import type { importPhysicalTokensHandler } from '../commands/token/import-physical-tokens.js';
import type { assignPhysicalTokenHandler } from '../commands/token/assign-physical-token.js';
import type { reissueActivationCodeHandler } from '../commands/token/reissue-activation-code.js';
import type { requestTokenAssignmentHandler } from '../commands/token/request-token-assignment.js';
import type { resyncTokenHandler } from '../commands/token/resync-token.js';
import type { unlockTokenHandler } from '../commands/token/unlock-token.js';
import type { verifyOtpHandler } from '../commands/token/verify-otp.js';
import type { suspendTokenHandler } from '../commands/token/suspend-token.js';
import type { resumeTokenHandler } from '../commands/token/resume-token.js';
import type { reportTokenLostHandler } from '../commands/token/report-token-lost.js';
import type { reactivateTokenHandler } from '../commands/token/reactivate-token.js';

/**
 * THE registry of the typed command API: one line per command type, naming the factory of the
 * handler that runs it. `Command`, `CommandType`, `CommandOf` and `OutputOf` are all derived from
 * it (the command from the handler's codec, the output from the handler's output type), so adding a
 * command to the typed API is one line here. `test/types/command-registry.test.ts` fails when a
 * command the SDK runs is missing here, or a line names a command the SDK does not run.
 */
export interface CommandRegistry {
  // soft-token lifecycle
  /** `ConfigureCompany`. */ readonly ConfigureCompany: typeof configureCompanyHandler;
  /** `RequestTokenAssignment`. */ readonly RequestTokenAssignment: typeof requestTokenAssignmentHandler;
  /** `ConfirmTokenAssignment`. */ readonly ConfirmTokenAssignment: typeof confirmTokenAssignmentHandler;
  /** `ReissueActivationCode`. */ readonly ReissueActivationCode: typeof reissueActivationCodeHandler;
  /** `EnrollDevice`. */ readonly EnrollDevice: typeof enrollDeviceHandler;
  /** `EnrollDeviceV2`. */ readonly EnrollDeviceV2: typeof enrollDeviceV2Handler;
  /** `RequestConfirmation`. */ readonly RequestConfirmation: typeof requestConfirmationHandler;
  /** `RejectConfirmation`. */ readonly RejectConfirmation: typeof rejectConfirmationHandler;
  /** `ActivateToken`. */ readonly ActivateToken: typeof activateTokenHandler;
  /** `DeleteToken`. */ readonly DeleteToken: typeof deleteTokenHandler;
  /** `ImportPhysicalToken`. */ readonly ImportPhysicalToken: typeof importPhysicalTokenHandler;
  /** `ImportPhysicalTokens`. */ readonly ImportPhysicalTokens: typeof importPhysicalTokensHandler;
  /** `AssignPhysicalToken`. */ readonly AssignPhysicalToken: typeof assignPhysicalTokenHandler;
  /** `VerifyOtp`. */ readonly VerifyOtp: typeof verifyOtpHandler;
  /** `UnlockToken`. */ readonly UnlockToken: typeof unlockTokenHandler;
  /** `ResyncToken`. */ readonly ResyncToken: typeof resyncTokenHandler;
  /** `ClearSecurityQuestionLock`. */ readonly ClearSecurityQuestionLock: typeof clearSecurityQuestionLockHandler;
  /** `SuspendToken`. */ readonly SuspendToken: typeof suspendTokenHandler;
  /** `ResumeToken`. */ readonly ResumeToken: typeof resumeTokenHandler;
  /** `ReportTokenLost`. */ readonly ReportTokenLost: typeof reportTokenLostHandler;
  /** `ReactivateToken`. */ readonly ReactivateToken: typeof reactivateTokenHandler;
  // service agreements
  /** `RegisterServiceAgreement`. */ readonly RegisterServiceAgreement: typeof registerServiceAgreementHandler;
  /** `GrantApprover`. */ readonly GrantApprover: typeof grantApproverHandler;
  /** `RevokeApprover`. */ readonly RevokeApprover: typeof revokeApproverHandler;
  // orders
  /** `UploadOrder`. */ readonly UploadOrder: typeof uploadOrderHandler;
  /** `DeleteOrder`. */ readonly DeleteOrder: typeof deleteOrderHandler;
  /** `ApproveOrders`. */ readonly ApproveOrders: typeof approveOrdersHandler;
  /** `RevokeOrders`. */ readonly RevokeOrders: typeof revokeOrdersHandler;
  /** `MarkOrderExecuted`. */ readonly MarkOrderExecuted: typeof markOrderExecutedHandler;
}

/** A command's app confirmation, as the app answered a challenge (`approveConfirmation` of `softtoken-sdk/device`). */
export interface AppConfirmationField {
  readonly challengeId: string;
  /** ECDSA P-256 signature (P1363), base64url. */
  readonly signature: string;
}

/** The `type` of every command the SDK runs. */
export type CommandType = keyof CommandRegistry;

/**
 * The fields of a command besides `type`, as a host writes them, derived from what the command's
 * codec decodes. The codecs take the typed secrets (`otp`, `codes`) as `unknown` so that the
 * handler, not the codec, judges them without echoing them; a host sends them as the text the
 * person typed. `UploadOrder` may leave out `transactionCount` (a single order is one transaction;
 * its decoded form always has it), and its `currency` is any text, checked against ISO 4217 at run time.
 */
export type CommandFields<T extends CommandType> =
  ReturnType<CommandRegistry[T]> extends CommandHandler<infer C, infer _O>
    ? C extends { readonly type: 'UploadOrder'; readonly transactionCount: number }
      ? Omit<C, 'type' | 'transactionCount' | 'currency'> & { readonly transactionCount?: number; readonly currency: string }
      : { readonly [K in keyof C as K extends 'type' ? never : K]: K extends 'otp' ? string : K extends 'codes' ? readonly [string, string] : K extends 'confirmation' ? AppConfirmationField : C[K] }
    : never;

/**
 * The command of one type, as a host writes it: `CommandOf<'DeleteToken'>`. `type` stands apart
 * from the other fields so that a generic `dispatch` infers the command type from it alone.
 */
export type CommandOf<T extends CommandType> = { readonly type: T } & CommandFields<T>;

/** Every command the SDK runs: a union discriminated by `type`. */
export type Command = { readonly [T in CommandType]: CommandOf<T> }[CommandType];

/** What a command answers in `DispatchResult.output`: `OutputOf<'DeleteToken'>`, or `OutputOf<C>` of a command type `C`. */
export type OutputOf<C extends { readonly type: CommandType } | CommandType> =
  ReturnType<CommandRegistry[C extends CommandType ? C : C extends { readonly type: infer T extends CommandType } ? T : never]> extends CommandHandler<infer _C, infer O>
    ? O
    : never;
