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
