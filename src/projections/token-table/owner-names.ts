import * as A from 'fp-ts/lib/Array.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { fromHostPort } from '../../commands/host-port.js';
import type { SdkError } from '../../errors/sdk-error.js';
import type { Directory } from '../../ports/directory.js';
import { displayNameOf } from './display-name.js';
import type { TokenTableState } from './state.js';

/**
 * The display names of the owners of a company's tokens, asked of the Directory now: events and
 * the table keep only ids, so a name changed or erased there shows changed or gone at once.
 * One lookup per distinct owner.
 */
export const ownerNames = (directory: Directory, state: TokenTableState, companyId: string): TaskEither<SdkError, ReadonlyMap<string, string>> => {
  // A company id that is not a string is the view's to refuse (tokenTablePage names the field); a
  // pooled hardware token has no owner yet (an empty user id): neither is asked of the Directory.
  const rows = typeof companyId === 'string' ? [...(state.companies.get(companyId)?.rows.values() ?? [])] : [];
  const owners = [...new Set(rows.map((row) => row.userId))].filter((userId) => userId !== '');
  return pipe(
    owners,
    A.map((userId) =>
      pipe(
        fromHostPort('the directory', () => directory.getUser(companyId, userId)),
        TE.map((user): readonly [string, string] => [userId, displayNameOf(userId, user)]),
      ),
    ),
    TE.sequenceArray,
    TE.map((names) => new Map(names)),
  );
};
