import type { StoredEvent } from '../events/envelope.js';

/**
 * NATS subject tokens are split at `.`, and `*`, `>` and white space are wildcards or separators:
 * an id holding them would change where a message goes. Every character outside `[A-Za-z0-9_-]`
 * becomes `_`, and an empty token becomes `_`.
 */
export const subjectToken = (value: string): string => {
  const token = value.replace(/[^A-Za-z0-9_-]/g, '_');
  return token === '' ? '_' : token;
};

/** Stream id prefixes, longest first, so that `payment-order-` wins over `order-`. */
const STREAM_KINDS = ['duplicate-index', 'payment-order', 'agreement', 'company', 'token', 'order'] as const;

/** The kind of stream an event belongs to (`token`, `company`, `agreement`, `payment-order`, ...), or `other`. */
export const streamKindOf = (event: StoredEvent): string => STREAM_KINDS.find((kind) => event.streamId.startsWith(`${kind}-`)) ?? 'other';

/**
 * The company an event concerns: its data's `companyId`, else the acting user's company, else `_`
 * (read from fields, never parsed out of the stream id, whose company part may hold dashes).
 */
export const companyOf = (event: StoredEvent): string => {
  const fromData = event.data['companyId'];
  if (typeof fromData === 'string' && fromData !== '') return fromData;
  return event.metadata.actor.kind === 'user' ? event.metadata.actor.companyId : '_';
};

/** `<prefix>.<kind>.<companyId>.<eventType>`, every part a valid NATS token (default prefix `softtoken`). */
export const defaultSubject = (event: StoredEvent, prefix = 'softtoken'): string =>
  [prefix, streamKindOf(event), companyOf(event), event.type].map(subjectToken).join('.');
