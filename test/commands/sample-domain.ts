/**
 * A small bank-account domain to exercise the command runtime: deposits, withdrawals that are
 * refused (and recorded) when funds are short, transfers across two streams, a secret PIN.
 */
import { left, right } from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { CommandHandler } from '../../src/commands/command-handler.js';
import type { StreamFold } from '../../src/events/stream-fold.js';
import { commandEnvelopeCodec } from '../../src/events/command-envelope.js';
import type { Decider, DomainEvent } from '../../src/events/decider.js';
import { preconditionFailed } from '../../src/errors/sdk-error.js';
import { bigIntFromDecimalString, nonEmptyString } from '../../src/events/codecs.js';
import type { EventOf } from '../../src/events/event-registry.js';
import { defineEvent, eventRegistry } from '../../src/events/event-registry.js';

const amount = t.refinement(bigIntFromDecimalString, (value) => value > 0n, 'PositiveAmount');

export const deposited = defineEvent({ type: 'Deposited', codec: t.type({ accountId: t.string, amount: bigIntFromDecimalString }) });
export const withdrawn = defineEvent({ type: 'Withdrawn', codec: t.type({ accountId: t.string, amount: bigIntFromDecimalString }) });
export const withdrawalRefused = defineEvent({
  type: 'WithdrawalRefused',
  schemaVersion: 2,
  codec: t.type({ accountId: t.string, requested: bigIntFromDecimalString, reason: t.string }),
  upcasters: { 1: (v1) => ({ ...v1, reason: 'insufficient-funds' }) },
});
export const noteAdded = defineEvent({ type: 'NoteAdded', codec: t.type({ accountId: t.string, note: t.string }) });

export const registry = eventRegistry([deposited, withdrawn, withdrawalRefused, noteAdded]);
export type AccountEvent = EventOf<typeof deposited | typeof withdrawn | typeof withdrawalRefused | typeof noteAdded>;

export interface Account {
  readonly balance: bigint;
  readonly refusals: number;
}

export type AccountCommand =
  | { readonly kind: 'deposit'; readonly accountId: string; readonly amount: bigint }
  | { readonly kind: 'withdraw'; readonly accountId: string; readonly amount: bigint };

export const accountDecider: Decider<AccountCommand, Account, AccountEvent> = {
  initialState: { balance: 0n, refusals: 0 },
  evolve: (state, event) => {
    switch (event.type) {
      case 'Deposited':
        return { ...state, balance: state.balance + event.data.amount };
      case 'Withdrawn':
        return { ...state, balance: state.balance - event.data.amount };
      case 'WithdrawalRefused':
        return { ...state, refusals: state.refusals + 1 };
      case 'NoteAdded':
        return state;
    }
  },
  decide: (command, state) => {
    if (command.kind === 'deposit') return right([{ type: 'Deposited', data: { accountId: command.accountId, amount: command.amount } }]);
    return command.amount <= state.balance
      ? right([{ type: 'Withdrawn', data: { accountId: command.accountId, amount: command.amount } }])
      : right([{ type: 'WithdrawalRefused', data: { accountId: command.accountId, requested: command.amount, reason: 'insufficient-funds' } }]);
  },
};

/** Counts evolve calls, so tests can see how much of a stream a load folded. */
export const foldCounter = { calls: 0 };

export const accountFold: StreamFold<Account, AccountEvent> = {
  name: 'account',
  initialState: accountDecider.initialState,
  evolve: (state, event) => {
    foldCounter.calls++;
    return accountDecider.evolve(state, event);
  },
};

export const accountStream = (accountId: string): string => `account-${accountId}`;

const accountCommand = <T extends t.Props>(type: string, props: T) =>
  t.intersection([commandEnvelopeCodec, t.type({ type: t.literal(type), accountId: nonEmptyString, ...props })]);

export const depositCodec = accountCommand('Deposit', { amount, pin: t.refinement(t.string, (pin) => /^[0-9]{4}$/.test(pin), 'Pin') });
export const withdrawCodec = accountCommand('Withdraw', { amount });
export const transferCodec = t.intersection([commandEnvelopeCodec, t.type({ type: t.literal('Transfer'), from: nonEmptyString, to: nonEmptyString, amount })]);

/** What a deposit answers: the amount and the account's version after it. */
export interface DepositOutput {
  readonly deposited: string;
  readonly version: number;
}

/** Deposits. The PIN is a secret: it must never be echoed. */
export const depositHandler: CommandHandler<t.TypeOf<typeof depositCodec>, DepositOutput> = {
  type: 'Deposit',
  codec: depositCodec,
  secretFields: ['pin'],
  handle: (command, context) =>
    pipe(
      context.load(accountStream(command.accountId), accountFold),
      TE.chainEitherK(({ state, version }) =>
        pipe(
          accountDecider.decide({ kind: 'deposit', accountId: command.accountId, amount: command.amount }, state, undefined),
          (decided) =>
            decided._tag === 'Left'
              ? decided
              : right({
                  writes: [{ streamId: accountStream(command.accountId), expectedVersion: version, events: decided.right }],
                  output: { deposited: command.amount.toString(), version: version + 1 },
                }),
        ),
      ),
    ),
  outcomeOf: (events) => {
    const first = events[0];
    const decoded = first === undefined ? undefined : registry.decode(first);
    if (first === undefined || decoded === undefined || decoded._tag === 'Left' || decoded.right.type !== 'Deposited') return left(preconditionFailed('replay', 'not a deposit'));
    return right({ deposited: decoded.right.data.amount.toString(), version: first.streamVersion });
  },
};

/** Withdraws; a refusal is recorded on the account and the command fails. */
export const withdrawHandler: CommandHandler<t.TypeOf<typeof withdrawCodec>, { balance: string }> = {
  type: 'Withdraw',
  codec: withdrawCodec,
  handle: (command, context) =>
    pipe(
      context.load(accountStream(command.accountId), accountFold),
      TE.chainEitherK(({ state, version }) => {
        const decided = accountDecider.decide({ kind: 'withdraw', accountId: command.accountId, amount: command.amount }, state, undefined);
        if (decided._tag === 'Left') return decided;
        const refused = decided.right.some((event) => event.type === 'WithdrawalRefused');
        return right({
          writes: [{ streamId: accountStream(command.accountId), expectedVersion: version, events: decided.right }],
          output: { balance: decided.right.reduce(accountDecider.evolve, state).balance.toString() },
          ...(refused ? { failure: preconditionFailed('funds', 'insufficient funds') } : {}),
        });
      }),
    ),
  outcomeOf: (events) =>
    events.some((event) => event.type === 'WithdrawalRefused') ? left(preconditionFailed('funds', 'insufficient funds')) : right({ balance: 'replayed' }),
};

/** Moves money between two accounts in one atomic append. */
export const transferHandler: CommandHandler<t.TypeOf<typeof transferCodec>, undefined> = {
  type: 'Transfer',
  codec: transferCodec,
  handle: (command, context) =>
    pipe(
      TE.Do,
      TE.bind('from', () => context.load(accountStream(command.from), accountFold)),
      TE.bind('to', () => context.load(accountStream(command.to), accountFold)),
      TE.chainEitherK(({ from, to }) =>
        from.state.balance < command.amount
          ? left(preconditionFailed('funds', 'insufficient funds'))
          : right({
              writes: [
                { streamId: accountStream(command.from), expectedVersion: from.version, events: [{ type: 'Withdrawn', data: { accountId: command.from, amount: command.amount } }] },
                { streamId: accountStream(command.to), expectedVersion: to.version, events: [{ type: 'Deposited', data: { accountId: command.to, amount: command.amount } }] },
              ],
              output: undefined,
            }),
      ),
    ),
};

export const handlers = [depositHandler, withdrawHandler, transferHandler];

export const userActor = { kind: 'user', companyId: 'acme', userId: 'ana' } as const;

export const deposit = (commandId: string, accountId: string, value: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'Deposit',
  commandId,
  actor: userActor,
  accountId,
  amount: value,
  pin: '1234',
  ...extra,
});

export type { DomainEvent };
