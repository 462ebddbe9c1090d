/**
 * softtoken-sdk/device: the app side of the activation protocol and the code generator, for the
 * mobile apps (and tests, and the demo) that play the user's phone.
 *
 * @packageDocumentation
 */
export type { OtpAlgorithm, OtpParameters } from '../otp/engine.js';
export { defaultOtpParameters } from '../otp/engine.js';

// the code generator (issue 3): the phone app computes codes and reads the seed's Base32 / Key URI
export { hotp } from '../otp/hotp.js';
export { totp } from '../otp/totp.js';
export type { OtpCodeOptions } from '../otp/hotp.js';
export type { TotpOptions } from '../otp/totp.js';
export { decodeBase32, encodeBase32 } from '../otp/base32.js';
export type { Base32Error } from '../otp/base32.js';
export { formatKeyUri, parseKeyUri } from '../otp/key-uri.js';
export type { HotpKeyUri, KeyUri, KeyUriBase, KeyUriError, KeyUriInput, TotpKeyUri } from '../otp/key-uri.js';

// the activation protocol's app side (issue 5): serial + activation code -> registration code, then codes
export { activateDevice, restoreDeviceToken } from './activate.js';
export type { ActivateDeviceInput, DeviceActivation, DeviceToken, StoredDeviceToken } from './activate.js';
export { formatActivationCode, parseActivationCode } from '../activation/activation-code.js';
export type { ActivationCode } from '../activation/activation-code.js';
export { formatRegistrationCode } from '../activation/registration-code.js';
export type { ActivationProtocolError, ActivationProtocolField } from '../activation/errors.js';
export { ACTIVATION_PROTOCOL_VERSION } from '../activation/protocol.js';
export { isValidSerial } from '../domain/token/serial.js';

// dynamic linking (issue 16): the phone shows the payees and totals of a batch and answers its OCRA question
export { approvalDisplay, respondToApproval } from './approve-batch.js';
export type { ApprovalDisplay, ApprovalResponse } from './approve-batch.js';
export type { ApprovalSummary } from '../domain/order/approval-summary.js';
export type { ApprovalBatch, ApprovalOrder, PaymentLine } from '../domain/order/approval-digest.js';
export { dynamicLinkingKey } from '../otp/dynamic-linking-key.js';
// the activation QR code (issue 17): the app scans the payload instead of typing serial and code
export { ACTIVATION_PAYLOAD_VERSION, parseActivationPayload } from '../activation/payload.js';
export type { ActivationPayload, ParsedActivationPayload, PayloadOtpParameters } from '../activation/payload.js';
// activation protocol v2 and app confirmations (issue 15): device keys, the online activation, signed approvals
export { generateDeviceKeys } from './keys.js';
export type { DeviceAgreementKey, DeviceKeys, DeviceSigningKey } from './keys.js';
export { startActivationV2 } from './activate-v2.js';
export type { ActivationV2Offer, DeviceTokenV2, PendingActivationV2, StartActivationV2Input } from './activate-v2.js';
export { approveConfirmation, rejectConfirmation } from './confirm.js';
export type { AppConfirmation } from './confirm.js';
export type { ConfirmationChallenge } from '../activation/v2/confirmation-message.js';
export { ACTIVATION_PROTOCOL_V2 } from '../activation/v2/protocol.js';
