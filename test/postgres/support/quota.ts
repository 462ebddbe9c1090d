/**
 * A test-only command handler with the shape of the token domain's quota rule, run by the kernel's
 * command runtime: a company has a number of soft-token slots; `ReserveSlot` writes `SlotReserved`
 * to the company stream and `TokenRequested` to a new token stream, atomically, only while a slot
 * is free. The real token domain's versions of these tests are token-quota.test.ts and
 * token-instances.test.ts.
 */
import { left, right } from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { commandEnvelopeCodec } from '../../../src/events/command-envelope.js';
import type { CommandHandler } from '../../../src/commands/command-handler.js';
import type { StreamFold } from '../../../src/events/stream-fold.js';
import { createCommandRuntime } from '../../../src/commands/command-runtime.js';
import type { CommandRuntime } from '../../../src/commands/command-runtime.js';
import { quotaExhausted } from '../../../src/errors/sdk-error.js';
import { nonEmptyString } from '../../../src/events/codecs.js';
import type { EventOf } from '../../../src/events/event-registry.js';
import { defineEvent, eventRegistry } from '../../../src/events/event-registry.js';
import type { EventStore } from '../../../src/store/event-store.js';

const quotaConfigured = defineEvent({ type: 'QuotaConfigured', codec: t.type({ companyId: t.string, quota: t.number }) });
const slotReserved = defineEvent({ type: 'SlotReserved', codec: t.type({ companyId: t.string, token: t.string }) });
const tokenRequested = defineEvent({ type: 'TokenRequested', codec: t.type({ companyId: t.string }) });
const registry = eventRegistry([quotaConfigured, slotReserved, tokenRequested]);
type QuotaEvent = EventOf<typeof quotaConfigured | typeof slotReserved | typeof tokenRequested>;

const companyStream = (companyId: string): string => `company-${companyId}`;

const freeSlots: StreamFold<number, QuotaEvent> = {
  name: 'free-slots',
  initialState: 0,
  evolve: (free, event) => (event.type === 'QuotaConfigured' ? event.data.quota : event.type === 'SlotReserved' ? free - 1 : free),
};

const configureCodec = t.intersection([commandEnvelopeCodec, t.type({ type: t.literal('ConfigureQuota'), companyId: nonEmptyString, quota: t.number })]);
const reserveCodec = t.intersection([commandEnvelopeCodec, t.type({ type: t.literal('ReserveSlot'), companyId: nonEmptyString })]);

const configureHandler: CommandHandler<t.TypeOf<typeof configureCodec>> = {
  type: 'ConfigureQuota',
  codec: configureCodec,
  handle: (command) =>
    TE.right({
      writes: [{ streamId: companyStream(command.companyId), expectedVersion: 'no-stream', events: [{ type: 'QuotaConfigured', data: { companyId: command.companyId, quota: command.quota } }] }],
      output: undefined,
    }),
};

const reserveHandler: CommandHandler<t.TypeOf<typeof reserveCodec>> = {
  type: 'ReserveSlot',
  codec: reserveCodec,
  handle: (command, context) =>
    pipe(
      context.load(companyStream(command.companyId), freeSlots),
      TE.chainEitherK(({ state: free, version }) =>
        free <= 0
          ? left(quotaExhausted(command.companyId))
          : right({
              writes: [
                {
                  streamId: companyStream(command.companyId),
                  expectedVersion: version,
                  events: [{ type: 'SlotReserved', data: { companyId: command.companyId, token: `token-${command.commandId}` } }],
                },
                { streamId: `token-${command.commandId}`, expectedVersion: 'no-stream', events: [{ type: 'TokenRequested', data: { companyId: command.companyId } }] },
              ],
              output: undefined,
            }),
      ),
    ),
};

/** The kernel's runtime over `store`, with the quota handlers and patient retries (many writers share one company stream). */
export const quotaRuntime = (store: EventStore): CommandRuntime =>
  createCommandRuntime({ store, handlers: [configureHandler, reserveHandler], eventRegistry: registry, retry: { maxAttempts: 100, baseDelayMs: 2, maxDelayMs: 50 } });

export type ReserveOutcome = 'reserved' | 'exhausted' | 'already-applied';

const actor = { kind: 'system' } as const;

/** Creates the company with its quota. */
export const configureCompany = async (runtime: CommandRuntime, companyId: string, quota: number): Promise<void> => {
  const result = await runtime.dispatch({ type: 'ConfigureQuota', commandId: `configure-${companyId}`, actor, companyId, quota })();
  if (result._tag === 'Left') throw new Error(result.left.message);
};

/** Dispatches one `ReserveSlot` and says what became of it. */
export const reserveSlot = async (runtime: CommandRuntime, companyId: string, commandId: string): Promise<ReserveOutcome> => {
  const result = await runtime.dispatch({ type: 'ReserveSlot', commandId, actor, companyId })();
  if (result._tag === 'Right') return result.right.replayed ? 'already-applied' : 'reserved';
  if (result.left._tag === 'QuotaExhausted') return 'exhausted';
  throw new Error(`${commandId}: ${result.left.code}: ${result.left.message}`);
};
