/**
 * The one OTP rule, shared by every domain with sensitive commands: an enrolled actor confirms
 * with a current code from their factor; the verdict is recorded on the factor's stream.
 */
export * from './factor.js';
export * from './rule.js';
