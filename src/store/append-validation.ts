import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { infrastructure } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import { firstNonJsonPath, isJsonObject } from '../events/json-check.js';

/** What an append batch amounts to, once its shape is known to be sound. */
export interface CheckedAppend {
  /** The one commandId every event of the batch carries; undefined when the batch has no event. */
  readonly commandId: string | undefined;
  readonly eventCount: number;
}

type Issue = string;

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isVersion = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

const checkExpected = (value: unknown, path: string): Issue | undefined =>
  value === 'any' || value === 'no-stream' || isVersion(value) ? undefined : `${path}.expectedVersion must be a version (an integer >= 0), 'no-stream' or 'any'`;

const checkMetadata = (metadata: unknown, path: string): Issue | undefined => {
  if (!isRecord(metadata)) return `${path}.metadata must be an object`;
  if (!isNonEmptyString(metadata.commandId)) return `${path}.metadata.commandId must be a non-empty string`;
  for (const field of ['correlationId', 'causationId', 'occurredAt'] as const) {
    if (typeof metadata[field] !== 'string') return `${path}.metadata.${field} must be a string`;
  }
  if (!isRecord(metadata.actor)) return `${path}.metadata.actor must be an object`;
  const metadataIssue = firstNonJsonPath(metadata, `${path}.metadata`);
  return metadataIssue === undefined ? undefined : `${metadataIssue} is not plain JSON`;
};

const eventPath = (write: number, position: number): string => `writes.${String(write)}.events.${String(position)}`;

/** Checks one event; `checkedMetadata` is a metadata object already found sound (events of a command share one). */
const checkEvent = (event: unknown, write: number, position: number, checkedMetadata: unknown): Issue | undefined => {
  // The path is only spelled out for a failure: appends of sound events build no strings.
  const path = (): string => eventPath(write, position);
  if (!isRecord(event)) return `${path()} must be an event object`;
  if (!isNonEmptyString(event.eventId)) return `${path()}.eventId must be a non-empty string`;
  if (!isNonEmptyString(event.type)) return `${path()}.type must be a non-empty string`;
  if (!Number.isSafeInteger(event.schemaVersion) || (event.schemaVersion as number) < 1) return `${path()}.schemaVersion must be an integer >= 1`;
  if (!isRecord(event.data)) return `${path()}.data must be a JSON object`;
  if (!isJsonObject(event.data)) return `${firstNonJsonPath(event.data, `${path()}.data`) ?? path()} is not plain JSON`;
  return event.metadata === checkedMetadata && checkedMetadata !== undefined ? undefined : checkMetadata(event.metadata, path());
};

/**
 * Checks an append's receipt against its batch: sound metadata, and the batch's commandId when
 * the batch carries events. Returns the commandId the append records, if any.
 */
export const checkReceipt = (checked: CheckedAppend, receipt: unknown): Either<SdkError, string | undefined> => {
  if (receipt === undefined) return right(checked.commandId);
  const issue = checkMetadata(receipt, 'receipt');
  if (issue !== undefined) return left(infrastructure(`invalid append: ${issue}`));
  const commandId = (receipt as { readonly commandId: string }).commandId;
  if (checked.commandId !== undefined && checked.commandId !== commandId) {
    return left(infrastructure("invalid append: receipt.commandId differs from the batch's: one append carries one command"));
  }
  return right(commandId);
};

/**
 * Checks an append batch before a store touches anything: each write names a stream once, with a
 * valid expectation; each event is a complete envelope of plain JSON; all events share one
 * commandId. Stores run it first so every adapter rejects the same batches with the same
 * `Infrastructure` error ("invalid append: …"), which always means a bug in the writer.
 */
export const checkAppend = (writes: unknown): Either<SdkError, CheckedAppend> => {
  const fail = (issue: Issue): Either<SdkError, CheckedAppend> => left(infrastructure(`invalid append: ${issue}`));
  if (!Array.isArray(writes)) return fail('writes must be an array');
  const streams = writes.length > 1 ? new Set<string>() : undefined;
  let commandId: string | undefined;
  let checkedMetadata: unknown;
  let eventCount = 0;
  for (let index = 0; index < writes.length; index++) {
    const write: unknown = writes[index];
    const path = writes.length === 1 ? 'writes.0' : `writes.${String(index)}`;
    if (!isRecord(write)) return fail(`${path} must be an object`);
    if (!isNonEmptyString(write.streamId)) return fail(`${path}.streamId must be a non-empty string`);
    if (streams?.has(write.streamId) === true) return fail(`${path}.streamId names a stream an earlier write of the batch already names`);
    streams?.add(write.streamId);
    const expectedIssue = checkExpected(write.expectedVersion, path);
    if (expectedIssue !== undefined) return fail(expectedIssue);
    if (!Array.isArray(write.events)) return fail(`${path}.events must be an array`);
    const events = write.events as readonly unknown[];
    for (let position = 0; position < events.length; position++) {
      const event = events[position];
      const issue = checkEvent(event, index, position, checkedMetadata);
      if (issue !== undefined) return fail(issue);
      checkedMetadata = (event as { readonly metadata: unknown }).metadata;
      const eventCommandId = ((event as { readonly metadata: { readonly commandId: string } }).metadata).commandId;
      if (commandId !== undefined && eventCommandId !== commandId) return fail(`${eventPath(index, position)}.metadata.commandId differs from the batch's: one append carries one command`);
      commandId = eventCommandId;
      eventCount++;
    }
  }
  return right({ commandId, eventCount });
};
