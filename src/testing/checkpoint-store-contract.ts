import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { SdkError } from '../errors/sdk-error.js';
import { canonicalJson } from '../events/canonical-json.js';
import type { JsonValue } from '../events/envelope.js';
import type { CheckpointStore } from '../projections/projection.js';
import type { ContractTestApi } from './event-store-contract.js';

const check = (condition: boolean, message: string): void => {
  if (!condition) throw new Error(message);
};

const value = async <A>(task: TaskEither<SdkError, A>, what: string): Promise<A> => {
  const result = await task();
  if (result._tag === 'Left') throw new Error(`${what} failed: ${result.left.code}: ${result.left.message}`);
  return result.right;
};

/** A promise and the function that settles it, to hold a piece of work open while others try. */
const gate = (): { readonly opened: Promise<void>; readonly open: () => void } => {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

/**
 * Registers the CheckpointStore contract tests (runner-agnostic, like `eventStoreContract`).
 * `makeStore` returns a fresh store each call; projection names are unique per test, so stores
 * over one shared database pass too.
 */
export const checkpointStoreContract = (name: string, makeStore: () => Promise<CheckpointStore>, api: ContractTestApi): void => {
  const { describe, it } = api;
  let counter = 0;
  const projectionName = (): string => {
    counter++;
    return `contract-projection-${String(Date.now())}-${String(counter)}`;
  };

  describe(`CheckpointStore contract: ${name}`, () => {
    it('has no checkpoint for a projection never saved', async () => {
      const store = await makeStore();
      check((await value(store.load(projectionName()), 'load')) === undefined, 'a new projection should have no checkpoint');
    });

    it('returns the last checkpoint saved, state and position', async () => {
      const store = await makeStore();
      const projection = projectionName();
      const state: JsonValue = { counts: { approved: 3, 'revoked ✓': 1 }, rows: [{ id: 'o-1', total: '10.50' }], note: 'ñ 🧾', none: null };
      await value(store.save(projection, { position: 7, state: { first: true } }), 'save');
      await value(store.save(projection, { position: 42, state }), 'save');
      const loaded = await value(store.load(projection), 'load');
      check(loaded?.position === 42, `the position should be 42, it is ${String(loaded?.position)}`);
      check(loaded !== undefined && canonicalJson(loaded.state) === canonicalJson(state), 'the state should round-trip');
      const other = projectionName();
      check((await value(store.load(other), 'load')) === undefined, 'checkpoints are per projection');
    });

    it('runs the work of one owner at a time, and tells the others', async () => {
      const store = await makeStore();
      const projection = projectionName();
      const hold = gate();
      const started = gate();
      const first = store.withOwnership(projection, async () => {
        started.open();
        await hold.opened;
        return 'first';
      })();
      await started.opened;
      let ranSecond = false;
      const second = await value(
        store.withOwnership(projection, () => {
          ranSecond = true;
          return Promise.resolve('second');
        }),
        'withOwnership while owned',
      );
      check(!second.owned && !ranSecond, 'a second owner must not run while the first runs');
      const elsewhere = await value(store.withOwnership(projectionName(), () => Promise.resolve('other')), 'withOwnership of another projection');
      check(elsewhere.owned && elsewhere.result === 'other', 'owning one projection does not block another');
      hold.open();
      const firstResult = await first;
      check(firstResult._tag === 'Right' && firstResult.right.owned && firstResult.right.result === 'first', 'the owner gets its result');
      const after = await value(store.withOwnership(projection, () => Promise.resolve('after')), 'withOwnership after release');
      check(after.owned && after.result === 'after', 'ownership is released when the work ends');
    });

    it('turns failing work into an Infrastructure error and releases ownership', async () => {
      const store = await makeStore();
      const projection = projectionName();
      const failed = await store.withOwnership(projection, () => Promise.reject(new Error('fold failed')))();
      check(failed._tag === 'Left' && failed.left._tag === 'Infrastructure', 'rejected work should be an Infrastructure error');
      const again = await value(store.withOwnership(projection, () => Promise.resolve(1)), 'withOwnership after a failure');
      check(again.owned, 'ownership is released after a failure');
    });
  });
};
