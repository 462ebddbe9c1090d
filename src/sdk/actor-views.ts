import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { actorAlias, exactDirectoryUser } from '../commands/directory-lookup.js';
import { companyStreamId, decodeCompanyEvent } from '../domain/company/events.js';
import { defaultCompanyPolicy, type CompanyPolicy } from '../domain/company/policy.js';
import { forbidden, invalidCommand, notFound, type SdkError } from '../errors/sdk-error.js';
import { actorCodec } from '../events/codecs.js';
import type { Directory } from '../ports/directory.js';
import type { AuditPage } from '../projections/audit/view.js';
import type { OrderPage } from '../projections/orders/views.js';
import type { EventStore } from '../store/event-store.js';
import type { Sdk } from './create-sdk.js';

/** The SDK's views, bound to an actor or not. */
type SdkViews = Sdk['views'];

/** Who a bound view answers to: a bank operator (everything), or an active user of one company (that company only). */
type Viewer = { readonly kind: 'bank' } | { readonly kind: 'user'; readonly companyId: string; readonly userId: string };

/** What binding views to an actor needs: the unbound views, the directory, and the store (for the company's policy). */
export interface ActorViewDeps {
  readonly views: SdkViews;
  readonly directory: Directory;
  readonly store: EventStore;
}

const viewerOf = (directory: Directory, input: unknown): TaskEither<SdkError, Viewer> =>
  pipe(
    TE.fromEither(actorCodec.decode(input)),
    TE.mapLeft(() => invalidCommand([{ path: 'actor', message: 'must be a user actor { kind, companyId, userId } or a bank actor { kind, operatorId }' }])),
    TE.chain((actor): TaskEither<SdkError, Viewer> => {
      if (actor.kind === 'bank') return TE.right({ kind: 'bank' });
      if (actor.kind === 'system') return TE.left(forbidden('the system actor has no views'));
      // The same identity rule as commands: the directory's canonical id, of an active user.
      return pipe(
        exactDirectoryUser(directory, actor.companyId, actor.userId, actorAlias),
        TE.chainEitherK((user) =>
          user?.active === true ? E.right<SdkError, Viewer>({ kind: 'user', companyId: actor.companyId, userId: actor.userId }) : E.left(forbidden(`the acting user is not an active user of company ${actor.companyId}`)),
        ),
      );
    }),
  );

const companyIdOf = (query: unknown): unknown => (typeof query === 'object' && query !== null && 'companyId' in query ? query.companyId : undefined);

// Another company's orders read as those of a company that does not exist: an empty page.
const onlyCompany = (companyId: string, query: unknown) => (page: OrderPage): OrderPage =>
  companyIdOf(query) === companyId ? page : { rows: [], page: page.page, pageSize: page.pageSize, count: 0, pages: 0, from: 0, to: 0, totals: {}, transactions: 0 };

const policyOf = (store: EventStore, companyId: string): TaskEither<SdkError, CompanyPolicy> =>
  pipe(
    store.readStream(companyStreamId(companyId)),
    TE.map((events) =>
      events.reduce<CompanyPolicy>((policy, stored) => {
        const event = decodeCompanyEvent(stored);
        return event?.type === 'CompanyConfigured' ? event.data.policy : policy;
      }, defaultCompanyPolicy),
    ),
  );

/**
 * The views bound to who asks. A bank operator sees every company (the unbound views). A user must
 * be an active user of their company under the directory's canonical id, and sees only that
 * company: another company's token table, orders, agreements and audit entries read exactly as
 * those of a company that does not exist (not found, or empty), never as forbidden. The Approve
 * view is computed for the user (`approverId` is the actor, `makerChecker` the company's policy).
 */
export const viewsForActor =
  (deps: ActorViewDeps) =>
  (actor: unknown): SdkViews => {
    const { views, directory, store } = deps;
    const as = <A>(forBank: () => TaskEither<SdkError, A>, forUser: (viewer: Extract<Viewer, { kind: 'user' }>) => TaskEither<SdkError, A>): TaskEither<SdkError, A> =>
      pipe(
        viewerOf(directory, actor),
        TE.chain((viewer) => (viewer.kind === 'bank' ? forBank() : forUser(viewer))),
      );
    const companyPage =
      (view: (query: unknown) => TaskEither<SdkError, OrderPage>) =>
      (query: unknown): TaskEither<SdkError, OrderPage> =>
        as(
          () => view(query),
          (viewer) => pipe(view(query), TE.map(onlyCompany(viewer.companyId, query))),
        );
    return {
      tokenTable: (companyId, query) =>
        as(
          () => views.tokenTable(companyId, query),
          (viewer) => (companyId === viewer.companyId ? views.tokenTable(companyId, query) : TE.left(notFound('company', companyId))),
        ),
      audit: (query) =>
        as(
          () => views.audit(query),
          (viewer) => {
            const asked = query?.companyId;
            return pipe(
              views.audit({ ...query, companyId: viewer.companyId }),
              TE.map((page): AuditPage => (asked === undefined || asked === viewer.companyId ? page : { entries: [], paging: { ...page.paging, from: 0, to: 0, total: 0 } })),
            );
          },
        ),
      orders: {
        search: companyPage(views.orders.search),
        toDelete: companyPage(views.orders.toDelete),
        toRevoke: companyPage(views.orders.toRevoke),
        toApprove: (query) =>
          as(
            () => views.orders.toApprove(query),
            (viewer) =>
              typeof query !== 'object' || query === null
                ? views.orders.toApprove(query)
                : pipe(
                    policyOf(store, viewer.companyId),
                    TE.chain((policy) => views.orders.toApprove({ ...query, approverId: viewer.userId, makerChecker: policy.makerChecker })),
                    TE.map(onlyCompany(viewer.companyId, query)),
                  ),
          ),
        order: (companyId, orderId) =>
          as(
            () => views.orders.order(companyId, orderId),
            (viewer) => (companyId === viewer.companyId ? views.orders.order(companyId, orderId) : TE.right(undefined)),
          ),
        agreements: (companyId) =>
          as(
            () => views.orders.agreements(companyId),
            (viewer) => (companyId === viewer.companyId ? views.orders.agreements(companyId) : TE.right([])),
          ),
        // Another company's orders read as not found: the batch is asked of the viewer's own company.
        approvalBatch: (companyId, orderIds) =>
          as(
            () => views.orders.approvalBatch(companyId, orderIds),
            (viewer) => views.orders.approvalBatch(companyId === viewer.companyId ? companyId : '', orderIds),
          ),
      },
    };
  };
