/** The soft-token lifecycle: statuses, the transition table, events, state, and the pure decisions. */
export * from './authorize.js';
export * from './codecs.js';
export * from './decide.js';
export * from './events.js';
export * from './serial.js';
export * from './state.js';
export * from './status.js';
export * from './timed-unlock.js';
export * from './transitions.js';
