import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { forbidden, invalidCommand, type SdkError } from '../errors/sdk-error.js';
import type { Directory, DirectoryUser } from '../ports/directory.js';
import { fromHostPort } from './host-port.js';

/**
 * The directory's record of exactly this user: `undefined` when it knows none, `alias()` when the
 * record it found carries another company or user id.
 *
 * Every rule (authorization, the OTP factor, maker-checker, the audit trail) keys on the user id a
 * command carries. A directory that matches names case-insensitively (LDAP, AD) answers `BOSS`
 * with the record of `boss`: taken as `BOSS`'s, it would make the enrolled admin `boss` a second,
 * un-enrolled admin who needs no code. So only the canonical id (the one the record carries) is
 * accepted, and the host sends it.
 */
export const exactDirectoryUser = (
  directory: Directory,
  companyId: string,
  userId: string,
  alias: () => SdkError,
): TaskEither<SdkError, DirectoryUser | undefined> =>
  pipe(
    fromHostPort('the directory', () => directory.getUser(companyId, userId)),
    TE.chainEitherK((user) => (user === undefined || (user.companyId === companyId && user.userId === userId) ? E.right(user) : E.left(alias()))),
  );

/** The refusal of an acting user whose id is an alias of a directory record. */
export const actorAlias = (): SdkError =>
  forbidden("the directory knows the acting user under another user id: commands must carry the directory's canonical user id");

/** The refusal of a command naming a user (`userId`) by an alias of a directory record. */
export const userIdAlias = (): SdkError =>
  invalidCommand([{ path: 'userId', message: "is not the directory's canonical id of this user: send the id the directory records" }]);
