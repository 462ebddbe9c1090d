import type { Either } from 'fp-ts/lib/Either.js';
import { bimap, chain, left, right } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { DomainEvent } from './decider.js';
import { describeThrown, infrastructure } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import { isJsonObject } from './json-check.js';
import type { JsonObject, StoredEvent } from './envelope.js';
import { validationIssues } from './field-issues.js';

/** Turns a payload stored under schema version n into version n + 1. Works on the JSON form. */
export type Upcaster = (data: JsonObject) => JsonObject;

/**
 * One event type: its name, its current schema version, the io-ts codec of its payload (domain
 * form <-> JSON form) and the upcasters from each older version.
 */
export interface EventDefinition<Type extends string = string, Data = unknown> {
  readonly type: Type;
  /** The version events of this type are written with (>= 1). */
  readonly schemaVersion: number;
  /** Decodes (and validates) the JSON form of the current version into the domain form. */
  readonly codec: t.Decoder<unknown, Data> & { readonly is: t.Is<Data> };
  /**
   * True when the codec's JSON form is its domain form (its encode is io-ts's identity, as for
   * `t.type` of plain members): a stored payload that passes `codec.is` is then its own decoding,
   * which spares folds over long streams an allocation per field.
   */
  readonly decodesAsIs: boolean;
  /** The JSON form of a payload in the domain form. */
  encodeData(data: Data): unknown;
  /** `upcasters[n]` turns a version-n payload into version n + 1. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
}

/** What `defineEvent` needs: the codec is a full io-ts type, so payloads can be encoded too. */
export interface EventSpec<Type extends string, Data, Encoded> {
  readonly type: Type;
  /** Default 1. */
  readonly schemaVersion?: number;
  readonly codec: t.Type<Data, Encoded>;
  readonly upcasters?: Readonly<Record<number, Upcaster>>;
}

/**
 * Defines an event type. Example: `defineEvent({ type: 'TokenLocked', schemaVersion: 2, codec,
 * upcasters: { 1: (v1) => ({ ...v1, reason: 'failures' }) } })`.
 */
export const defineEvent = <Type extends string, Data, Encoded>(spec: EventSpec<Type, Data, Encoded>): EventDefinition<Type, Data> => ({
  type: spec.type,
  schemaVersion: spec.schemaVersion ?? 1,
  codec: spec.codec,
  decodesAsIs: spec.codec.encode === t.identity,
  encodeData: (data: Data): unknown => spec.codec.encode(data),
  upcasters: spec.upcasters ?? {},
});

/** The domain event a definition describes. */
export type EventOf<D> = D extends EventDefinition<infer Type, infer Data> ? DomainEvent<Type, Data> : never;

/** An event as it is written: its type, the version of its schema and its JSON payload. */
export interface EncodedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
}

/** The part of a stored event the registry reads. */
export type StoredPayload = Pick<StoredEvent, 'type' | 'schemaVersion' | 'data'>;

/**
 * Every event type a host knows: encodes domain events for writing (validated first) and decodes
 * stored ones (upcast from older schema versions, then validated).
 */
export interface EventRegistry<E extends DomainEvent = DomainEvent> {
  readonly types: readonly string[];
  /** Whether an event type is registered. */
  readonly has: (type: string) => boolean;
  // Method syntax on purpose: a registry of specific events is usable where any registry is expected.
  /** Validates a domain event against its codec and encodes it at its current schema version. */
  encode(event: E): Either<SdkError, EncodedEvent>;
  /** Decodes a stored payload, upcasting older schema versions to the current one. */
  readonly decode: (stored: StoredPayload) => Either<SdkError, E>;
  /**
   * True when the stored payload is of the current schema version and valid as it is, for a type
   * whose JSON form is its domain form: then `decode` would return the stored event itself. Lets
   * folds over long streams skip an allocation per event.
   */
  readonly decodesAsStored: (stored: StoredPayload) => boolean;
}

const describeIssues = (errors: t.Errors): string =>
  validationIssues(errors)
    .map((issue) => `${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`)
    .join('; ');

const attempt = <A>(work: () => Either<SdkError, A>, context: string): Either<SdkError, A> => {
  try {
    return work();
  } catch (cause) {
    return left(infrastructure(`${context}: ${describeThrown(cause)}`));
  }
};

/**
 * Builds the registry of a set of event definitions. A type defined twice is a configuration bug:
 * every encode and decode of that type then fails with an `Infrastructure` error naming it.
 */
export const eventRegistry = <const Definitions extends readonly EventDefinition[]>(
  definitions: Definitions,
): EventRegistry<EventOf<Definitions[number]>> => {
  type E = EventOf<Definitions[number]>;
  const byType = new Map<string, EventDefinition>();
  const definedTwice = new Set<string>();
  for (const definition of definitions) {
    if (byType.has(definition.type)) definedTwice.add(definition.type);
    byType.set(definition.type, definition);
  }
  /** Types whose current-version payloads are their own decoding: checked with `is`, not decoded. */
  const asIs = new Map<string, EventDefinition>();
  for (const [type, definition] of byType) {
    if (definition.decodesAsIs && !definedTwice.has(type)) asIs.set(type, definition);
  }

  const definitionOf = (type: string): Either<SdkError, EventDefinition> => {
    if (definedTwice.has(type)) return left(infrastructure(`event type ${type} is defined twice in the event registry`));
    const definition = byType.get(type);
    return definition === undefined ? left(infrastructure(`event type ${type} is not in the event registry`)) : right(definition);
  };

  /** The JSON form as a reader will decode it, so nothing unreadable is ever written. */
  const encodeWith = (event: E) => (definition: EventDefinition): Either<SdkError, EncodedEvent> => {
    const data = definition.encodeData(event.data);
    if (!isJsonObject(data)) return left(infrastructure(`event ${event.type} does not encode to a JSON object`));
    return pipe(
      definition.codec.decode(data),
      bimap(
        (errors) => infrastructure(`event ${event.type} is invalid: ${describeIssues(errors)}`),
        (): EncodedEvent => ({ type: definition.type, schemaVersion: definition.schemaVersion, data }),
      ),
    );
  };

  const encode = (event: E): Either<SdkError, EncodedEvent> => attempt(() => pipe(definitionOf(event.type), chain(encodeWith(event))), `event ${event.type} could not be encoded`);

  /** The payload brought up to the definition's schema version by its upcasters. */
  const upcast = (stored: StoredPayload, definition: EventDefinition): Either<SdkError, JsonObject> => {
    let data = stored.data;
    let version = stored.schemaVersion;
    if (!Number.isSafeInteger(version) || version < 1 || version > definition.schemaVersion) {
      return left(infrastructure(`stored event ${stored.type} has schema version ${String(version)}; this registry reads 1 to ${String(definition.schemaVersion)}`));
    }
    while (version < definition.schemaVersion) {
      const upcaster = definition.upcasters[version];
      if (upcaster === undefined) return left(infrastructure(`event ${stored.type} has no upcaster from schema version ${String(version)}`));
      data = upcaster(data);
      version++;
    }
    return right(data);
  };

  const decodeCurrent = (stored: StoredPayload, definition: EventDefinition) => (data: JsonObject): Either<SdkError, E> =>
    definition.decodesAsIs && definition.codec.is(data)
      ? right({ type: stored.type, data } as E)
      : pipe(
          definition.codec.decode(data),
          bimap(
            (errors) => infrastructure(`stored event ${stored.type} does not match its schema: ${describeIssues(errors)}`),
            (decoded) => ({ type: stored.type, data: decoded }) as E,
          ),
        );

  const decodeFully = (stored: StoredPayload): Either<SdkError, E> =>
    attempt(
      () =>
        pipe(
          definitionOf(stored.type),
          chain((definition) => pipe(upcast(stored, definition), chain(decodeCurrent(stored, definition)))),
        ),
      `stored event ${stored.type} could not be decoded`,
    );

  // The hot path of every fold: a current, valid payload is used as stored (a stored event is a
  // domain event already: it has a type and data), without copying or wrapping anything.
  // Long streams are mostly runs of one type: remember the last type's definition.
  let lastType: string | undefined;
  let lastDefinition: EventDefinition | undefined;
  const decodesAsStored = (stored: StoredPayload): boolean => {
    if (stored.type !== lastType) {
      lastType = stored.type;
      lastDefinition = asIs.get(stored.type);
    }
    return lastDefinition !== undefined && stored.schemaVersion === lastDefinition.schemaVersion && lastDefinition.codec.is(stored.data);
  };
  const decode = (stored: StoredPayload): Either<SdkError, E> => (decodesAsStored(stored) ? right(stored as unknown as E) : decodeFully(stored));

  return {
    types: [...byType.keys()],
    has: (type) => byType.has(type),
    encode,
    decode,
    decodesAsStored,
  };
};
