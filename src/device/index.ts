/**
 * softtoken-sdk/device: the app side of the activation protocol and the code generator, for the
 * mobile apps (and tests, and the demo) that play the user's phone.
 *
 * @packageDocumentation
 */
export type { OtpAlgorithm, OtpParameters } from '../otp/engine.js';
export { defaultOtpParameters } from '../otp/engine.js';
