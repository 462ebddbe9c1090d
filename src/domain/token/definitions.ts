import type * as t from 'io-ts';
import { defineEvent, type EventDefinition } from '../../events/event-registry.js';
import { companyEventCodecs } from '../company/events.js';
import { tokenEventCodecs } from './events.js';

const definitionsOf = (codecs: Readonly<Record<string, unknown>>): readonly EventDefinition[] =>
  Object.entries(codecs).map(([type, codec]) =>
    // Each codec's JSON form is its domain form (strings, numbers, booleans), so one signature fits all.
    defineEvent<string, unknown, unknown>({ type, codec: codec as t.Type<unknown, unknown> }),
  );

/** The event definitions of the soft-token lifecycle (token and company streams), schema version 1, for the event registry. */
export const tokenEventDefinitions: readonly EventDefinition[] = [...definitionsOf(tokenEventCodecs), ...definitionsOf(companyEventCodecs)];
