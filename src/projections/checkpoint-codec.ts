import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { infrastructure, type SdkError } from '../errors/sdk-error.js';
import type { JsonValue } from '../events/envelope.js';

/**
 * A read model's checkpoint decoded with its codec; one that does not fit is an `Infrastructure`
 * error naming the read model (never the checkpoint's content).
 */
export const decodeCheckpoint =
  <A>(codec: t.Decoder<unknown, A>, readModel: string) =>
  (json: JsonValue): E.Either<SdkError, A> =>
    E.mapLeft(() => infrastructure(`the ${readModel} checkpoint does not match its schema`))(codec.decode(json));
