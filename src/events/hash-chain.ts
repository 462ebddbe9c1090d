import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical-json.js';
import type { JsonValue, StoredEvent } from './envelope.js';

/** The fields a hash covers: the whole stored event but the hash itself. */
export type HashedFields = Omit<StoredEvent, 'hash'>;

const hashedView = (event: HashedFields): JsonValue => ({
  streamId: event.streamId,
  streamVersion: event.streamVersion,
  globalPosition: event.globalPosition,
  eventId: event.eventId,
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: event.data,
  metadata: event.metadata as unknown as JsonValue,
  prevHash: event.prevHash,
});

/** SHA-256, lower-case hex, over the canonical JSON encoding of every field but `hash`. */
export const hashEvent = (event: HashedFields): string => bytesToHex(sha256(utf8ToBytes(canonicalJson(hashedView(event)))));

/** Completes an event with its hash. Stores call this once they know the stream head's hash. */
export const sealEvent = (event: HashedFields): StoredEvent => ({ ...event, hash: hashEvent(event) });
