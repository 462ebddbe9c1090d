import * as E from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../../events/decider.js';
import type { AgreementEvent } from '../agreement/events.js';
import { agreementEventCodecs } from '../agreement/events.js';
import type { OrderEvent } from './events.js';
import { orderEventCodecs } from './events.js';

const codecs: Readonly<Record<string, { readonly decode: (input: unknown) => E.Either<unknown, unknown> }>> = {
  ...orderEventCodecs,
  ...agreementEventCodecs,
};

/** Whether `type` names an order or agreement event. */
export const isOrdersEventType = (type: string): boolean => Object.prototype.hasOwnProperty.call(codecs, type);

/**
 * An order or agreement event from its type and payload, checked by its codec; undefined for any other
 * event type or a payload the codec refuses.
 */
export const decodeOrdersEvent = (event: DomainEvent): OrderEvent | AgreementEvent | undefined => {
  if (!isOrdersEventType(event.type)) return undefined;
  const decoded = codecs[event.type]?.decode(event.data);
  return decoded === undefined ? undefined : E.match(() => undefined, (data) => ({ type: event.type, data }) as OrderEvent | AgreementEvent)(decoded);
};
