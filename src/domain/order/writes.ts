import type { ExpectedVersion } from '../../events/expected-version.js';
import type { AgreementEvent } from '../agreement/events.js';
import { agreementStreamId } from '../agreement/ids.js';
import type { OrderOutcome } from './effects.js';
import type { OrderEvent } from './events.js';
import { orderStreamId } from './events.js';

/** One stream's share of an order command: its events and the version it must be at. */
export interface OrderStreamWrite {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly (OrderEvent | AgreementEvent)[];
}

/** The versions the shell loaded the streams at. */
export interface LoadedVersions {
  /** The version order `orderId`'s stream was loaded at (0: no stream). */
  readonly order: (orderId: string) => number;
  /** The version the agreement stream of (`companyId`, `serviceId`) was loaded at. */
  readonly agreement: (companyId: string, serviceId: string) => number;
}

/**
 * The appends of an order command, for one atomic append: each order stream at the version it was
 * decided on (so a racing approval or delete of the same order conflicts and is decided again), and
 * each touched agreement stream once. An upload guards the agreement at its loaded version: the
 * duplicate check read its index of live orders, and a racing upload of the same content must see
 * this one. Releasing a fingerprint (delete, revoke, execute) only removes the order's own entry,
 * which no other decision depends on, so it appends with `'any'` and never contends.
 */
export const orderCommandWrites = (outcomes: readonly OrderOutcome[], versions: LoadedVersions): readonly OrderStreamWrite[] => {
  const orderWrites: OrderStreamWrite[] = [];
  const agreements = new Map<string, { companyId: string; serviceId: string; events: AgreementEvent[]; guarded: boolean }>();
  for (const outcome of outcomes) {
    if (outcome.orderEvents.length > 0) {
      orderWrites.push({ streamId: orderStreamId(outcome.orderId), expectedVersion: versions.order(outcome.orderId), events: outcome.orderEvents });
    }
    if (outcome.agreementEvents.length === 0) continue;
    const streamId = agreementStreamId(outcome.companyId, outcome.serviceId);
    const entry = agreements.get(streamId) ?? { companyId: outcome.companyId, serviceId: outcome.serviceId, events: [], guarded: false };
    entry.events.push(...outcome.agreementEvents);
    entry.guarded ||= outcome.agreementEvents.some((event) => event.type === 'OrderFingerprintRecorded');
    agreements.set(streamId, entry);
  }
  return [
    ...orderWrites,
    ...[...agreements.entries()].map(([streamId, entry]) => ({
      streamId,
      expectedVersion: entry.guarded ? versions.agreement(entry.companyId, entry.serviceId) : ('any' as const),
      events: entry.events,
    })),
  ];
};
