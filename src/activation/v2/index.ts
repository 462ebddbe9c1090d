/**
 * Activation protocol v2 (online: ECDH P-256 over the whole transcript) and the confirmation
 * message an enrolled app signs. See docs/activation-protocol.md.
 */
export * from './bytes.js';
export * from './confirmation-message.js';
export * from './p256.js';
export * from './protocol.js';
export * from './server.js';
export * from './transcript.js';
