/** The company stream: configuration, policy, quota, and the index of who holds which live token. */
export * from './decide.js';
export * from './events.js';
export * from './guessing-risk.js';
export * from './policy.js';
export * from './state.js';
