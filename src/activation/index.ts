/**
 * Activation protocol v1, shared by the server (EnrollDevice) and the app side
 * (`softtoken-sdk/device`). See docs/activation-protocol.md.
 */
export * from './activation-code.js';
export * from './check-digit.js';
export * from './errors.js';
export * from './exchange.js';
export * from './protocol.js';
export * from './registration-code.js';
export * from './seed.js';
export * from './serial-input.js';
export { constantTimeEqual } from './constant-time.js';
