import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical-json.js';
import type { JsonValue, StoredEvent } from './envelope.js';

/** The fields a hash covers: the whole stored event but the hash itself. */
export type HashedFields = Omit<StoredEvent, 'hash'>;

/** The hashed fields in code-unit order, which is the order canonical JSON writes them in. */
const HASHED_KEYS = ['data', 'eventId', 'globalPosition', 'metadata', 'prevHash', 'schemaVersion', 'streamId', 'streamVersion', 'type'] as const;
const QUOTED_KEYS = HASHED_KEYS.map((key) => JSON.stringify(key));

/**
 * The canonical JSON of the hashed view of an event: exactly `canonicalJson` of an object holding
 * the nine hashed fields, written without building and sorting that object (appends hash every event).
 */
export const canonicalEnvelope = (event: HashedFields): string => {
  let out = '{';
  let first = true;
  for (let index = 0; index < HASHED_KEYS.length; index++) {
    const member = (event as unknown as Readonly<Record<string, JsonValue | undefined>>)[HASHED_KEYS[index] as string];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${QUOTED_KEYS[index] as string}:${canonicalJson(member)}`;
    first = false;
  }
  return `${out}}`;
};

const encoder = new TextEncoder();
let scratch = new Uint8Array(4096);

const utf8 = (text: string): Uint8Array => {
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes; reusing one buffer avoids an allocation per event.
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
  return scratch.subarray(0, encoder.encodeInto(text, scratch).written);
};

/** SHA-256, lower-case hex, over the canonical JSON encoding of every field but `hash`. */
export const hashEvent = (event: HashedFields): string => bytesToHex(sha256(utf8(canonicalEnvelope(event))));

/** Completes an event with its hash. Stores call this once they know the stream head's hash. */
export const sealEvent = (event: HashedFields): StoredEvent => ({ ...event, hash: hashEvent(event) });
