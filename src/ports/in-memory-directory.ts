import { constantTimeEqual } from '../activation/constant-time.js';
import type { Directory, DirectoryUser } from './directory.js';

/** A user of the in-memory directory, with the answer to their security question (if they set one). */
export interface InMemoryDirectoryUser extends DirectoryUser {
  readonly securityAnswer?: string;
}

/** The in-memory Directory, plus the edits a test or the demo needs. */
export interface InMemoryDirectory extends Directory {
  readonly getUser: (companyId: string, userId: string) => DirectoryUser | undefined;
  readonly checkSecurityAnswer: (companyId: string, userId: string, answer: string) => boolean;
  /** Adds a user or replaces the one with the same company and user id. */
  readonly upsert: (user: InMemoryDirectoryUser) => void;
  /** Removes a user; they read as unknown afterwards. */
  readonly remove: (companyId: string, userId: string) => void;
}

// Trimmed and case-folded, so "  Rex " answers "rex" as a person would expect.
const normalizeAnswer = (answer: string): string => answer.trim().normalize('NFKC').toLowerCase();

/** A Directory over a list of users, for tests and the demo. */
export const inMemoryDirectory = (users: readonly InMemoryDirectoryUser[] = []): InMemoryDirectory => {
  const byKey = new Map<string, InMemoryDirectoryUser>();
  const keyOf = (companyId: string, userId: string): string => JSON.stringify([companyId, userId]);
  const upsert = (user: InMemoryDirectoryUser): void => {
    byKey.set(keyOf(user.companyId, user.userId), user);
  };
  users.forEach(upsert);
  return {
    getUser: (companyId, userId) => {
      const user = byKey.get(keyOf(companyId, userId));
      if (user === undefined) return undefined;
      const { securityAnswer: _hidden, ...visible } = user;
      return visible;
    },
    checkSecurityAnswer: (companyId, userId, answer) => {
      const expected = byKey.get(keyOf(companyId, userId))?.securityAnswer;
      return expected !== undefined && constantTimeEqual(normalizeAnswer(expected), normalizeAnswer(answer));
    },
    upsert,
    remove: (companyId, userId) => {
      byKey.delete(keyOf(companyId, userId));
    },
  };
};
