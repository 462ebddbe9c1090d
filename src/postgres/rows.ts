import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { StoredEvent } from '../events/envelope.js';

/**
 * node-postgres hands bigint columns over as strings, embedded PostgreSQL as numbers, and a host
 * (or a library it loads) may have set the global int8 parser to `BigInt`; positions and
 * versions stay far below 2^53, so all three become numbers here.
 */
export const toNumber = (value: unknown): number => {
  const number =
    typeof value === 'number' ? value : typeof value === 'string' || typeof value === 'bigint' ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number)) throw new TypeError('not an integer');
  return number;
};

/** An array column as an array (drivers that do not parse arrays hand them over as literals). */
export const toArray = (value: unknown): readonly unknown[] => {
  if (Array.isArray(value)) return value as readonly unknown[];
  throw new TypeError('not an array');
};

/** The text of a text column. */
export const toText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  throw new TypeError('not text');
};

/**
 * An event from its stored canonical JSON and hash. With `verify`, the hash is recomputed over
 * the stored bytes first (cheap: no re-encoding, the column holds exactly what was hashed).
 */
export const decodeEvent = (row: unknown, verify: boolean): StoredEvent => {
  const [json, hash] = row as readonly [unknown, unknown];
  const text = toText(json);
  const digest = toText(hash);
  if (verify && bytesToHex(sha256(utf8ToBytes(text))) !== digest) throw new IntegrityError();
  const event = JSON.parse(text) as Record<string, unknown>;
  event['hash'] = digest;
  return event as unknown as StoredEvent;
};

/** A stored event that does not match its hash or its place in the chain. */
export class IntegrityError extends Error {
  constructor() {
    super('integrity');
  }
}

/** Decodes a stream's events and checks that versions follow each other and each links to its predecessor. */
export const decodeStream = (rows: readonly unknown[], verify: boolean): readonly StoredEvent[] => {
  const events = rows.map((row) => decodeEvent(row, verify));
  for (let index = 1; index < events.length; index++) {
    const previous = events[index - 1] as StoredEvent;
    const current = events[index] as StoredEvent;
    if (current.prevHash !== previous.hash || current.streamVersion !== previous.streamVersion + 1) throw new IntegrityError();
  }
  return events;
};
