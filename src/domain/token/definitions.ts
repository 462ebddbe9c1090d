import type { EventDefinition } from '../../events/event-registry.js';
import { companyEvents } from '../company/events.js';
import { tokenEvents } from './events.js';

/** The event definitions of the soft-token lifecycle (token and company streams), schema version 1, for the event registry. */
export const tokenEventDefinitions: readonly EventDefinition[] = [...tokenEvents.definitions, ...companyEvents.definitions];
