import type { JsonObject, NewEvent, StoredEvent } from '../../../src/events/envelope.js';
import type { EventStore } from '../../../src/store/event-store.js';

/**
 * A test-only command handler with the shape of the token domain's quota rule: a company has a
 * number of soft-token slots; reserving one writes `SlotReserved` to the company stream and
 * `TokenRequested` to a new token stream, atomically, only while a slot is free. Like a runtime,
 * it retries on version conflicts (reloading the company) and treats a command the store has
 * already seen as done. (The real domain's dispatch-based version of these tests is still owed.)
 */
export type ReserveOutcome = 'reserved' | 'exhausted' | 'already-applied';

const event = (commandId: string, type: string, data: JsonObject): NewEvent => ({
  eventId: `${commandId}-${type}`,
  type,
  schemaVersion: 1,
  data,
  metadata: { commandId, correlationId: commandId, causationId: commandId, actor: { kind: 'system' }, occurredAt: '2025-03-01T09:30:00.000Z' },
});

const unwrap = <A>(result: { readonly _tag: 'Left'; readonly left: { readonly message: string } } | { readonly _tag: 'Right'; readonly right: A }): A => {
  if (result._tag === 'Left') throw new Error(result.left.message);
  return result.right;
};

/** Creates the company with its quota. */
export const configureCompany = async (store: EventStore, companyId: string, quota: number): Promise<void> => {
  unwrap(await store.append([{ streamId: `company-${companyId}`, expectedVersion: 'no-stream', events: [event(`configure-${companyId}`, 'QuotaConfigured', { quota })] }])());
};

const freeSlots = (company: readonly StoredEvent[]): number =>
  company.reduce((free, stored) => (stored.type === 'QuotaConfigured' ? Number(stored.data['quota']) : stored.type === 'SlotReserved' ? free - 1 : free), 0);

export const reserveSlot = async (store: EventStore, companyId: string, commandId: string, instance: string): Promise<ReserveOutcome> => {
  for (let attempt = 1; attempt <= 50; attempt++) {
    if (unwrap(await store.readCommand(commandId)()).length > 0) return 'already-applied';
    const company = unwrap(await store.readStream(`company-${companyId}`)());
    if (freeSlots(company) <= 0) return 'exhausted';
    const result = await store.append([
      { streamId: `company-${companyId}`, expectedVersion: company.length, events: [event(commandId, 'SlotReserved', { by: instance, token: `token-${commandId}` })] },
      { streamId: `token-${commandId}`, expectedVersion: 'no-stream', events: [event(commandId, 'TokenRequested', { companyId })] },
    ])();
    if (result._tag === 'Right') return 'reserved';
    if (result.left._tag === 'DuplicateCommand') return 'already-applied';
    if (result.left._tag !== 'ConcurrencyConflict') throw new Error(result.left.message);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
  }
  throw new Error(`${commandId} still conflicts after 50 attempts`);
};
