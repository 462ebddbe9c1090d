import type { Actor } from '../../events/envelope.js';

/**
 * What the shell read of a user from the bank's `Directory`: the fields of a `DirectoryUser` these rules
 * read, declared here so that the pure core names no port.
 */
export interface DirectoryUser {
  readonly companyId: string;
  readonly userId: string;
  readonly active: boolean;
  readonly isCompanyAdmin: boolean;
}

/**
 * Who is acting, as far as the order rules need to know: the command's actor completed with what the
 * bank's `Directory` says of a user (active, company admin). The shell gathers it; the pure rules read it.
 */
export type ActorFacts =
  | {
      readonly kind: 'user';
      readonly companyId: string;
      readonly userId: string;
      /** False when the directory does not know the user in that company, or marks them inactive. */
      readonly active: boolean;
      readonly isCompanyAdmin: boolean;
    }
  | { readonly kind: 'bank'; readonly operatorId: string }
  | { readonly kind: 'system' };

/** Completes an {@link Actor} with the directory's answer about them (`undefined`: unknown user). */
export const actorFacts = (actor: Actor, directoryUser: DirectoryUser | undefined): ActorFacts => {
  if (actor.kind !== 'user') return actor;
  const known = directoryUser !== undefined && directoryUser.companyId === actor.companyId && directoryUser.userId === actor.userId;
  return {
    kind: 'user',
    companyId: actor.companyId,
    userId: actor.userId,
    active: known && directoryUser.active,
    isCompanyAdmin: known && directoryUser.active && directoryUser.isCompanyAdmin,
  };
};
