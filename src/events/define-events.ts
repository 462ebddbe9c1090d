import type * as t from 'io-ts';
import type { DomainEvent } from './decider.js';
import type { EventDefinition, Upcaster } from './event-registry.js';
import { defineEvent } from './event-registry.js';

/** The payload codecs of a stream's events, by event type. */
export type EventCodecs = Readonly<Record<string, t.Mixed>>;

/** The events a codec table describes: one member per event type, with its payload. */
export type EventsOf<C extends EventCodecs> = { [K in keyof C & string]: DomainEvent<K, t.TypeOf<C[K]>> }[keyof C & string];

/** The registry definitions of a codec table, each typed by its event type. */
export type DefinitionsOf<C extends EventCodecs> = readonly { [K in keyof C & string]: EventDefinition<K, t.TypeOf<C[K]>> }[keyof C & string][];

/** What differs from the defaults, by event type: a schema version above 1, and the upcasters from older ones. */
export interface EventOptions<C extends EventCodecs> {
  readonly schemaVersion?: Partial<Record<keyof C & string, number>>;
  readonly upcasters?: Partial<Record<keyof C & string, Readonly<Record<number, Upcaster>>>>;
}

/** The events of one stream, defined once: their codecs, registry definitions, type guard and decoder. */
export interface EventFamily<C extends EventCodecs> {
  /** The payload codec of each event type. */
  readonly codecs: C;
  /** The definitions for the event registry. */
  readonly definitions: DefinitionsOf<C>;
  /** Whether `type` is one of this stream's event types. */
  readonly isType: (type: string) => type is keyof C & string;
  /** A stored payload as an event of this stream, when its type is one and its data passes the codec. */
  readonly decode: (event: { readonly type: string; readonly data: unknown }) => EventsOf<C> | undefined;
}

/**
 * Defines the events of a stream from one table of payload codecs: every stream of both domains
 * writes its events this way, so a new event type is one entry of one table. Example:
 * `defineEvents({ TokenLocked: codec }, { schemaVersion: { TokenLocked: 2 }, upcasters: { TokenLocked: { 1: up } } })`.
 */
export const defineEvents = <const C extends EventCodecs>(codecs: C, options: EventOptions<C> = {}): EventFamily<C> => {
  const byType = new Map<string, t.Decoder<unknown, unknown>>(Object.entries(codecs));
  const isType = (type: string): type is keyof C & string => byType.has(type);
  const definitions = Object.keys(codecs).map((type) =>
    defineEvent<string, unknown, unknown>({
      type,
      // Each codec's JSON form is its domain form or an io-ts encoding of it: one signature fits all.
      codec: codecs[type] as t.Type<unknown, unknown>,
      schemaVersion: options.schemaVersion?.[type as keyof C & string] ?? 1,
      upcasters: options.upcasters?.[type as keyof C & string] ?? {},
    }),
  ) as unknown as DefinitionsOf<C>;
  return {
    codecs,
    definitions,
    isType,
    decode: (event) => {
      const codec = byType.get(event.type);
      if (codec === undefined) return undefined;
      const decoded = codec.decode(event.data);
      return decoded._tag === 'Right' ? { type: event.type, data: decoded.right } : undefined;
    },
  };
};
