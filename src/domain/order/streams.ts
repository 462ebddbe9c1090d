/**
 * The stream ids of the orders domain. An order's identity is (company, order id): two companies may
 * use the same order id, and neither can take an id from the other.
 *
 * `payment-order-{companyId}-{orderId}`: the company id has its `%` and `-` percent-escaped (`%25`,
 * `%2D`), so the first `-` after the prefix ends it and two different (company, order) pairs never
 * share a stream, whatever characters the ids hold. The prefix is new on purpose: a 0.1 log keeps its
 * orders in `order-{orderId}`, and any `order-…` name could be such an old stream (order ids may hold
 * dashes), so the new streams live under a prefix no other stream starts with.
 */
export const orderStreamId = (companyId: string, orderId: string): string => `payment-order-${escapeDashes(companyId)}-${orderId}`;

/**
 * The stream of an order uploaded under 0.1, before order ids were scoped by company. Its events carry
 * the company id; the handlers still read it (and append to it) for that company only.
 */
export const legacyOrderStreamId = (orderId: string): string => `order-${orderId}`;

/**
 * The duplicate index of one content in one company and service: the live orders whose fingerprint is
 * `fingerprint`. Only uploads of the same content append to (and guard) the same index, so uploads of
 * different orders to one service never contend. Service ids hold no `-` and fingerprints are hex, so
 * the id splits at its last two dashes, as `agreement-{companyId}-{serviceId}` does at its last one;
 * its prefix is not `order-`, which a 0.1 order stream could hold.
 */
export const duplicateIndexStreamId = (companyId: string, serviceId: string, fingerprint: string): string =>
  `duplicate-index-${companyId}-${serviceId}-${fingerprint}`;

const escapeDashes = (id: string): string => id.replaceAll('%', '%25').replaceAll('-', '%2D');
