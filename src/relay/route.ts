import type { AgreementEventType } from '../domain/agreement/events.js';
import type { CompanyEventType } from '../domain/company/events.js';
import type { OrderEventType } from '../domain/order/events.js';
import type { TokenEventType } from '../domain/token/events.js';
import type { StoredEvent } from '../events/envelope.js';
import type { RelayMessage } from './publisher.js';
import { defaultSubject } from './subject.js';

/**
 * The filter-and-map step: the message an event becomes, or undefined to skip it (it still counts
 * as relayed: the checkpoint moves past it).
 */
export type Route = (event: StoredEvent) => RelayMessage | undefined;

/** The headers every relayed message carries. */
export const HEADERS = {
  type: 'Softtoken-Event-Type',
  schemaVersion: 'Softtoken-Schema-Version',
  streamId: 'Softtoken-Stream-Id',
  streamVersion: 'Softtoken-Stream-Version',
  globalPosition: 'Softtoken-Global-Position',
  correlationId: 'Softtoken-Correlation-Id',
  causationId: 'Softtoken-Causation-Id',
} as const;

/** An event as a message to `subject`: the stored event as body, its id as message id, its metadata as headers. */
export const messageOf = (event: StoredEvent, subject: string): RelayMessage => ({
  subject,
  id: event.eventId,
  headers: {
    [HEADERS.type]: event.type,
    [HEADERS.schemaVersion]: String(event.schemaVersion),
    [HEADERS.streamId]: event.streamId,
    [HEADERS.streamVersion]: String(event.streamVersion),
    [HEADERS.globalPosition]: String(event.globalPosition),
    [HEADERS.correlationId]: event.metadata.correlationId,
    [HEADERS.causationId]: event.metadata.causationId,
  },
  body: JSON.stringify(event),
  event,
});

/** Every event type the SDK writes: {@link routeByType} takes only these, so a misspelt type does not compile. */
export type SdkEventType = TokenEventType | CompanyEventType | AgreementEventType | OrderEventType;

/** Where {@link routeByType} sends one event type: a fixed subject, or one computed from the event. */
export type SubjectOf = string | ((event: StoredEvent) => string);

/** Every event, to `softtoken.<kind>.<companyId>.<eventType>` (or another prefix). */
export const allEvents =
  (prefix = 'softtoken'): Route =>
  (event) =>
    messageOf(event, defaultSubject(event, prefix));

/**
 * Only the listed SDK event types, each to its own subject: a fixed one, or one computed from the
 * event. Other types are skipped.
 *
 * @example
 * routeByType({
 *   OrderApproved: 'payments.orders.approved',
 *   TokenAssignmentConfirmed: (event) => `notify.activation.${subjectToken(companyOf(event))}`,
 * })
 */
export const routeByType =
  (subjects: Readonly<Partial<Record<SdkEventType, SubjectOf>>>): Route =>
  (event) => {
    const target: SubjectOf | undefined = Object.hasOwn(subjects, event.type) ? subjects[event.type as SdkEventType] : undefined;
    if (target === undefined) return undefined;
    return messageOf(event, typeof target === 'string' ? target : target(event));
  };

/** Keeps the events `keep` accepts, then routes them with `route`. */
export const filterEvents =
  (keep: (event: StoredEvent) => boolean, route: Route): Route =>
  (event) =>
    keep(event) ? route(event) : undefined;

/** The first route that takes the event: e.g. the host's own subjects first, then {@link allEvents}. */
export const firstOf =
  (...routes: readonly Route[]): Route =>
  (event) => {
    for (const route of routes) {
      const message = route(event);
      if (message !== undefined) return message;
    }
    return undefined;
  };
