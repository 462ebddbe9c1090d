/**
 * The one OTP rule, shared by every domain with sensitive commands: an enrolled actor confirms
 * with a current code from their factor; the verdict is recorded on the factor's stream.
 * This is the pure judgement; loading the factor, asking the engine and recording the verdict is
 * the shell's part, in the command layer's `confirmation.ts`.
 */
export * from './factor.js';
export * from './rule.js';
export * from './app-signature.js';
