import type * as t from 'io-ts';

/**
 * The dotted field path of an io-ts error (`orderIds.2`, `total`), without the member indices that
 * intersections and unions put in the context. Those are told apart by what they look at: a member of
 * an intersection or union sees the very value its parent sees, while a property or array element
 * sees a part of it. The value itself is never included.
 */
export const fieldPath = (context: t.Context): string =>
  context
    .filter((entry, index) => index > 0 && !Object.is(entry.actual, context[index - 1]?.actual))
    .map((entry) => entry.key)
    .join('.');
