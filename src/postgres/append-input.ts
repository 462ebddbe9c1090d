import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { infrastructure } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import { canonicalJson } from '../events/canonical-json.js';
import type { JsonValue, NewEvent } from '../events/envelope.js';
import { checkAppend, type CheckedAppend } from '../store/append-validation.js';
import type { AppendWrite, ExpectedVersion } from '../store/event-store.js';
import { isStorableText } from './text.js';

/**
 * An append checked and encoded for the `append` SQL function: one entry per write, and per event
 * the four constant pieces of its canonical JSON, between which the database puts the global
 * position, the previous hash and the stream version before hashing. Joined with those, the pieces
 * are exactly `canonicalEnvelope` of the stored event (keys in code-unit order), so the database's
 * SHA-256 equals `hashEvent` and any verifier can recompute it.
 */
export interface EncodedAppend {
  /** null when no write carries an event (the call only checks expectations). */
  readonly commandId: string | null;
  readonly streamIds: readonly string[];
  readonly expectedVersions: readonly ExpectedVersion[];
  /** -1 for `'any'`, 0 for `'no-stream'`, else the version. */
  readonly expected: readonly number[];
  readonly counts: readonly number[];
  readonly events: readonly NewEvent[];
  readonly heads: readonly string[];
  readonly middles: readonly string[];
  readonly tails: readonly string[];
  readonly ends: readonly string[];
}

const expectedCode = (expected: ExpectedVersion): number => (expected === 'any' ? -1 : expected === 'no-stream' ? 0 : expected);

const unstorable = (path: string): SdkError =>
  infrastructure(`invalid append: ${path} must not contain U+0000 or an unpaired surrogate (PostgreSQL text cannot hold it as given)`);

/**
 * Checks an append like every store does (`checkAppend`: a bug in the writer is an
 * `Infrastructure` error naming the path), plus what only PostgreSQL needs: ids kept in columns
 * must be text PostgreSQL stores unchanged. Then encodes it.
 */
export const encodeAppend = (writes: readonly AppendWrite[]): Either<SdkError, EncodedAppend> => {
  return E.chain((checked: CheckedAppend) => encodeChecked(writes, checked.commandId ?? null))(checkAppend(writes));
};

/** The columns of an append `checkAppend` has passed. */
const encodeChecked = (writes: readonly AppendWrite[], commandId: string | null): Either<SdkError, EncodedAppend> => {
  if (commandId !== null && !isStorableText(commandId)) return E.left(unstorable('metadata.commandId'));
  const streamIds: string[] = [];
  const expectedVersions: ExpectedVersion[] = [];
  const counts: number[] = [];
  const events: NewEvent[] = [];
  const heads: string[] = [];
  const middles: string[] = [];
  const tails: string[] = [];
  const ends: string[] = [];
  for (const [index, write] of writes.entries()) {
    if (!isStorableText(write.streamId)) return E.left(unstorable(`writes.${String(index)}.streamId`));
    streamIds.push(write.streamId);
    expectedVersions.push(write.expectedVersion);
    counts.push(write.events.length);
    const streamTail = `,"streamId":${canonicalJson(write.streamId)},"streamVersion":`;
    for (const event of write.events) {
      events.push(event);
      heads.push(`{"data":${canonicalJson(event.data)},"eventId":${canonicalJson(event.eventId)},"globalPosition":`);
      middles.push(`,"metadata":${canonicalJson(event.metadata as unknown as JsonValue)},"prevHash":"`);
      tails.push(`","schemaVersion":${canonicalJson(event.schemaVersion)}${streamTail}`);
      ends.push(`,"type":${canonicalJson(event.type)}}`);
    }
  }
  return E.right({ commandId, streamIds, expectedVersions, expected: expectedVersions.map(expectedCode), counts, events, heads, middles, tails, ends });
};
