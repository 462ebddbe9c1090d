import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { invalidCommand } from '../errors/sdk-error.js';
import type { FieldIssue, SdkError } from '../errors/sdk-error.js';
import { canonicalJson } from '../events/canonical-json.js';
import type { JsonValue, NewEvent } from '../events/envelope.js';
import type { ExpectedVersion } from '../store/event-store.js';
import { firstNonJsonPath } from './json-check.js';
import { isStorableText } from './text.js';

/**
 * An append checked and encoded for the `append` SQL function: one entry per write, and per event
 * the four constant pieces of its canonical JSON, between which the database puts the global
 * position, the previous hash and the stream version before hashing.
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

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isVersion = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const expectedCode = (expected: ExpectedVersion): number => (expected === 'any' ? -1 : expected === 'no-stream' ? 0 : expected);

const checkExpected = (value: unknown): value is ExpectedVersion => value === 'any' || value === 'no-stream' || isVersion(value);

const checkEvent = (event: unknown, path: string, issues: FieldIssue[]): event is NewEvent => {
  const before = issues.length;
  if (!isRecord(event)) {
    issues.push({ path, message: 'must be an event object' });
    return false;
  }
  if (typeof event['eventId'] !== 'string' || event['eventId'] === '') issues.push({ path: `${path}.eventId`, message: 'must be a non-empty string' });
  if (typeof event['type'] !== 'string' || event['type'] === '') issues.push({ path: `${path}.type`, message: 'must be a non-empty string' });
  if (!isVersion(event['schemaVersion'])) issues.push({ path: `${path}.schemaVersion`, message: 'must be a non-negative integer' });
  const data = event['data'];
  if (!isRecord(data)) issues.push({ path: `${path}.data`, message: 'must be a JSON object' });
  else {
    const bad = firstNonJsonPath(data);
    if (bad !== undefined) issues.push({ path: `${path}.data${bad === '' ? '' : `.${bad}`}`, message: 'is not JSON' });
  }
  const metadata = event['metadata'];
  if (!isRecord(metadata)) issues.push({ path: `${path}.metadata`, message: 'must be an object' });
  else {
    const bad = firstNonJsonPath(metadata);
    if (bad !== undefined) issues.push({ path: `${path}.metadata${bad === '' ? '' : `.${bad}`}`, message: 'is not JSON' });
    const commandId = metadata['commandId'];
    if (typeof commandId !== 'string' || commandId === '') issues.push({ path: `${path}.metadata.commandId`, message: 'must be a non-empty string' });
    else if (!isStorableText(commandId)) issues.push({ path: `${path}.metadata.commandId`, message: 'must not contain U+0000 or unpaired surrogates' });
  }
  return issues.length === before;
};

/** Checks the writes of one append and encodes them; the first problems are reported by path. */
export const encodeAppend = (writes: unknown): Either<SdkError, EncodedAppend> => {
  if (!Array.isArray(writes)) return E.left(invalidCommand([{ path: 'writes', message: 'must be an array of writes' }]));
  const issues: FieldIssue[] = [];
  const streamIds: string[] = [];
  const expectedVersions: ExpectedVersion[] = [];
  const counts: number[] = [];
  const events: NewEvent[] = [];
  const eventStreams: string[] = [];
  const seen = new Set<string>();
  (writes as readonly unknown[]).forEach((write, index) => {
    const path = `writes.${index}`;
    if (!isRecord(write)) {
      issues.push({ path, message: 'must be a write { streamId, expectedVersion, events }' });
      return;
    }
    const { streamId, expectedVersion, events: writeEvents } = write;
    if (typeof streamId !== 'string' || streamId === '') issues.push({ path: `${path}.streamId`, message: 'must be a non-empty string' });
    else if (!isStorableText(streamId)) issues.push({ path: `${path}.streamId`, message: 'must not contain U+0000 or unpaired surrogates' });
    else if (seen.has(streamId)) issues.push({ path: `${path}.streamId`, message: 'names a stream another write of this append already names' });
    else seen.add(streamId);
    if (!checkExpected(expectedVersion)) issues.push({ path: `${path}.expectedVersion`, message: "must be a non-negative integer, 'no-stream' or 'any'" });
    if (!Array.isArray(writeEvents)) {
      issues.push({ path: `${path}.events`, message: 'must be an array of events' });
      return;
    }
    (writeEvents as readonly unknown[]).forEach((event, eventIndex) => {
      if (checkEvent(event, `${path}.events.${eventIndex}`, issues)) {
        events.push(event);
        eventStreams.push(typeof streamId === 'string' ? streamId : '');
      }
    });
    streamIds.push(typeof streamId === 'string' ? streamId : '');
    expectedVersions.push(checkExpected(expectedVersion) ? expectedVersion : 'any');
    counts.push(writeEvents.length);
  });
  if (issues.length > 0) return E.left(invalidCommand(issues));

  const first = events[0];
  const commandId = first === undefined ? null : first.metadata.commandId;
  let position = 0;
  for (const [index, count] of counts.entries()) {
    for (let eventIndex = 0; eventIndex < count; eventIndex++, position++) {
      if ((events[position] as NewEvent).metadata.commandId !== commandId) {
        issues.push({ path: `writes.${index}.events.${eventIndex}.metadata.commandId`, message: 'must be the commandId every other event of this append carries' });
      }
    }
  }
  if (issues.length > 0) return E.left(invalidCommand(issues));

  const heads: string[] = [];
  const middles: string[] = [];
  const tails: string[] = [];
  const ends: string[] = [];
  events.forEach((event, index) => {
    heads.push(`{"data":${canonicalJson(event.data)},"eventId":${canonicalJson(event.eventId)},"globalPosition":`);
    middles.push(`,"metadata":${canonicalJson(event.metadata as unknown as JsonValue)},"prevHash":"`);
    tails.push(`","schemaVersion":${canonicalJson(event.schemaVersion)},"streamId":${canonicalJson(eventStreams[index] as string)},"streamVersion":`);
    ends.push(`,"type":${canonicalJson(event.type)}}`);
  });
  return E.right({
    commandId,
    streamIds,
    expectedVersions,
    expected: expectedVersions.map(expectedCode),
    counts,
    events,
    heads,
    middles,
    tails,
    ends,
  });
};
