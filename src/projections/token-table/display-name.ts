import type { DirectoryUser } from '../../ports/directory.js';

// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * The name the token table shows for a user: the directory's display name, cleaned and bounded,
 * read when the table is shown (events keep only ids); the user id when the directory has no
 * name, or no longer knows the user (a person forgotten there is shown by id only).
 */
export const displayNameOf = (userId: string, user: DirectoryUser | undefined): string => {
  const name: unknown = user?.displayName;
  const cleaned = typeof name === 'string' ? name.replace(CONTROL, ' ').trim().slice(0, 256) : '';
  return cleaned === '' ? userId : cleaned;
};
