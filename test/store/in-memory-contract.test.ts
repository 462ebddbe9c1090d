import { describe, it } from 'vitest';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import { eventStoreContract } from '../../src/testing/event-store-contract.js';

eventStoreContract('in-memory', () => Promise.resolve(inMemoryEventStore()), { describe, it });
