/**
 * The one OTP rule, shared by every domain with sensitive commands: an enrolled actor confirms
 * with a current code from their factor; the verdict is recorded on the factor's stream.
 *
 * In a handler: `checkOtp(engine)(context, { actor, code, command })`, then on `Refused` return
 * `refusal(check)`, on `NotEnrolled` / `Confirmed` build the command's decision and return
 * `withOtpRecord(check, decision)`.
 */
export * from './confirm.js';
export * from './factor.js';
export * from './rule.js';
