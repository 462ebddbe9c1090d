import type { MaybePromise } from './maybe-async.js';

/** What the bank's user directory knows of a user of a client company. */
export interface DirectoryUser {
  readonly companyId: string;
  readonly userId: string;
  readonly displayName: string;
  readonly active: boolean;
  readonly email?: string;
  readonly mobile?: string;
  readonly isCompanyAdmin: boolean;
}

/**
 * The bank's user directory. The host implements it over its own systems; the SDK only reads.
 * A port may throw or reject: the SDK turns that into an `Infrastructure` error.
 */
export interface Directory {
  /**
   * The user, or undefined when the directory does not know them. The record carries the user's
   * canonical ids: a directory that matches names loosely (case-insensitively, as LDAP and AD do)
   * must answer with its own spelling, never echo the query. The SDK refuses a command whose
   * user id is not exactly the record's (`Forbidden` for the actor, `InvalidCommand` on `userId`
   * for a named user), so every rule keys on one id.
   */
  readonly getUser: (companyId: string, userId: string) => MaybePromise<DirectoryUser | undefined>;
  /** Compares the answer in the host's own way; the answer is never stored or logged by the SDK. */
  readonly checkSecurityAnswer: (companyId: string, userId: string, answer: string) => MaybePromise<boolean>;
}
