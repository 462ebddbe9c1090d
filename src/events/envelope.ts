/**
 * The envelope every stored event travels in. `data` is the event's own payload, validated by the
 * event type's io-ts codec before it is written and decoded (and upcast) when it is read.
 */

/** A JSON scalar. */
export type JsonPrimitive = string | number | boolean | null;
/** Any value JSON can carry. */
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };
/** A JSON object: what every event's `data` is. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** Who caused an event. The host authenticates people; the SDK only records who they are. */
export type Actor =
  | { readonly kind: 'user'; readonly companyId: string; readonly userId: string }
  | { readonly kind: 'bank'; readonly operatorId: string }
  | { readonly kind: 'system' };

/** Why an event exists: the command that caused it, its correlation, who, and when. */
export interface EventMetadata {
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  /** ISO-8601 UTC with milliseconds, from the injected clock. */
  readonly occurredAt: string;
  /**
   * SHA-256 of the command that caused the event (its type and fields, secrets by presence only):
   * a retry under this commandId with another body is refused. Absent on events of 0.1.
   */
  readonly commandDigest?: string;
}

/** An event as a command handler produces it, before the store gives it a place. */
export interface NewEvent {
  /** uuid v7, from the injected clock and random source. */
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
}

/** An event as stored: placed in its stream and in the global order, and chained to its predecessor. */
export interface StoredEvent extends NewEvent {
  readonly streamId: string;
  /** 1 for a stream's first event; a stream with n events is at version n. */
  readonly streamVersion: number;
  /** Strictly increasing across the whole store, starting at 1; gaps are allowed. */
  readonly globalPosition: number;
  /** `hash` of the stream's previous event, or {@link GENESIS_HASH} for the first. */
  readonly prevHash: string;
  /** SHA-256 (lower-case hex) over the canonical encoding of every other field. */
  readonly hash: string;
}

/** prevHash of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);
