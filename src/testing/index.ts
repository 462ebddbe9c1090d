/**
 * softtoken-sdk/testing: deterministic ports and helpers for the tests of hosts and adapters.
 *
 * @packageDocumentation
 */
export { manualClock } from '../ports/clock.js';
export type { ManualClock } from '../ports/clock.js';
export { seededRandom } from '../ports/random.js';
export { eventStoreContract } from './event-store-contract.js';
export type { ContractTestApi } from './event-store-contract.js';
export { checkpointStoreContract } from './checkpoint-store-contract.js';
export { secretVaultContract } from './secret-vault-contract.js';
export { deciderSpec, deepEqual } from './decider-spec.js';
export type { DeciderGiven, DeciderOutcome, DeciderSpecification } from './decider-spec.js';
