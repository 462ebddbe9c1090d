import { agreementEvents } from '../agreement/events.js';
import { orderEvents } from './events.js';

/** Every order and agreement event type with its codec, for the event registry (all at schema version 1). */
export const ordersEventDefinitions = [...agreementEvents.definitions, ...orderEvents.definitions];
