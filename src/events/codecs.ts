import * as t from 'io-ts';
import type { Actor } from './envelope.js';

/** A string with at least one character. */
export const nonEmptyString = t.refinement(t.string, (text) => text.length > 0, 'NonEmptyString');

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

const isBounded = (input: unknown, max: number): input is string =>
  typeof input === 'string' && input.length >= 1 && input.length <= max && !CONTROL.test(input);

/**
 * A non-empty string of at most `max` characters without control characters (identifiers,
 * references, serials): the one bounded string of both domains, their events and their commands.
 */
export const boundedString = (max: number, name = `NonEmptyString(<=${String(max)})`): t.Type<string, string> =>
  new t.Type<string, string, unknown>(
    name,
    (input): input is string => isBounded(input, max),
    (input, context) => {
      if (isBounded(input, max)) return t.success(input);
      // A missing field reads "required: expected <name>"; a wrong one says what a right one is.
      return input === undefined ? t.failure(input, context) : t.failure(input, context, `must be a string of 1 to ${String(max)} printable characters`);
    },
    t.identity,
  );

const hasSurroundingSpace = (text: string): boolean => text.trim() !== text;

/**
 * An identifier chosen by the host (company, user, order, token): a {@link boundedString} of at most
 * 128 characters that also has no surrounding spaces, since `" u1"` and `"u1"` would otherwise name
 * two different users to the SDK and one to a person reading the screen.
 */
export const EntityIdCodec = new t.Type<string, string, unknown>(
  'EntityId',
  (input): input is string => isBounded(input, 128) && !hasSurroundingSpace(input),
  (input, context) =>
    isBounded(input, 128) && !hasSurroundingSpace(input)
      ? t.success(input)
      : input === undefined
        ? t.failure(input, context)
        : t.failure(input, context, 'an identifier of 1 to 128 characters without control characters or surrounding spaces'),
  t.identity,
);

/** An integer in [min, max], as an io-ts codec that names the bounds in its error. */
export const intBetween = (min: number, max: number): t.Type<number, number> =>
  new t.Type<number, number, unknown>(
    `integer ${String(min)}..${String(max)}`,
    (input): input is number => typeof input === 'number' && Number.isInteger(input) && input >= min && input <= max,
    (input, context) =>
      typeof input === 'number' && Number.isInteger(input) && input >= min && input <= max
        ? t.success(input)
        : t.failure(input, context, `must be an integer from ${String(min)} to ${String(max)}`),
    t.identity,
  );

// Four-digit years, or the six digits and sign `toISOString` writes outside 0000..9999.
const ISO_TIMESTAMP = /^(\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const isIsoTimestamp = (input: unknown): input is string =>
  typeof input === 'string' && ISO_TIMESTAMP.test(input) && !Number.isNaN(Date.parse(input));

/**
 * A UTC instant as `Date.prototype.toISOString` writes it (`2025-01-31T14:05:00.000Z`): the one
 * timestamp of every event of both domains. It accepts every string `toISOString` can write,
 * so no event a clock ever stamped is refused on reading.
 */
export const IsoTimestamp = new t.Type<string, string, unknown>(
  'IsoTimestamp',
  isIsoTimestamp,
  (input, context) => (isIsoTimestamp(input) ? t.success(input) : t.failure(input, context, 'must be an ISO-8601 UTC timestamp')),
  t.identity,
);

const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]*)$/;

/**
 * A bigint carried as a decimal string: JSON has no bigint, and a number would lose digits past
 * 2^53. Decodes only canonical decimal integers ("-12", never "012", "1e3" or " 5").
 */
export const bigIntFromDecimalString = new t.Type<bigint, string, unknown>(
  'BigIntFromDecimalString',
  (value): value is bigint => typeof value === 'bigint',
  (value, context) => (typeof value === 'string' && DECIMAL_INTEGER.test(value) ? t.success(BigInt(value)) : t.failure(value, context)),
  (value) => value.toString(10),
);

/** Who caused an event: extra members are dropped on decoding, so they never reach an event. */
export const actorCodec: t.Type<Actor, Actor> = t.union(
  [
    t.strict({ kind: t.literal('user'), companyId: boundedString(128), userId: boundedString(128) }, 'UserActor'),
    t.strict({ kind: t.literal('bank'), operatorId: boundedString(128) }, 'BankActor'),
    t.strict({ kind: t.literal('system') }, 'SystemActor'),
  ],
  'Actor',
);
