/**
 * One SDK instance of the token domain in a process of its own, on the PostgreSQL store:
 *   node --import tsx token-instance.ts mix    '<MixSpec as JSON>'
 *   node --import tsx token-instance.ts verify '<VerifySpec as JSON>'
 * `mix` takes users through the lifecycle as its company admin (request, confirm, enroll,
 * activate, delete, with OTPs from the admin's and the owners' phones), frees a slot from the
 * token table when the quota is used up, and meanwhile runs the durable token table whenever it
 * can own it; the self-service requests are the same commands in every instance, as a client
 * retrying on another instance would send them; it starts when the test lets it past the start
 * line. `verify` dispatches one VerifyOtp. Each prints a JSON summary.
 */
import * as E from 'fp-ts/lib/Either.js';
import pg from 'pg';
import type { ActivationCodeOutput, RequestTokenAssignmentOutput } from '../../../src/commands/token/index.js';
import type { DispatchResult } from '../../../src/commands/command-handler.js';
import { activateDevice, type DeviceToken } from '../../../src/device/index.js';
import type { SdkError } from '../../../src/errors/sdk-error.js';
import type { Actor } from '../../../src/events/envelope.js';
import { postgresCheckpointStore } from '../../../src/postgres/checkpoint-store.js';
import { postgresEventStore } from '../../../src/postgres/event-store.js';
import { runProjection } from '../../../src/projections/run-projection.js';
import { seededRandom } from '../../../src/ports/random.js';
import type { EventStore } from '../../../src/store/event-store.js';
import { output, STEP, user } from '../../sdk/harness.js';
import { startLine } from './gate.js';
import { ownershipWitness } from './ownership-witness.js';
import { PAGE_SIZE } from './tally.js';
import { ADMINS, COMPANY, countedTokenTable, restoreDevice, tokenWorld } from './token-world.js';
import type { Dispatched, MixSpec, MixSummary, VerifySpec, VerifySummary } from './token-world.js';

const [mode, specJson] = process.argv.slice(2) as [string, string];
const spec = JSON.parse(specJson) as MixSpec & VerifySpec;
const pool = new pg.Pool({ connectionString: spec.url, max: 6, application_name: spec.name });
pool.on('error', () => undefined);

// The version conflicts this instance's appends ran into (the runtime retries them).
let conflicts = 0;
const postgres = postgresEventStore(pool, { schema: spec.schema });
const store: EventStore = {
  ...postgres,
  append: (writes) => async () => {
    const appended = await postgres.append(writes)();
    if (E.isLeft(appended) && appended.left._tag === 'ConcurrencyConflict') conflicts++;
    return appended;
  },
};
const world = tokenWorld(pool, spec.schema, spec.seed, store);
let commands = 0;

const outcomeOf = (commandId: string, type: string, result: E.Either<SdkError, DispatchResult>): Dispatched => {
  if (E.isRight(result)) return { commandId, type, outcome: result.right.replayed ? 'replayed' : 'applied' };
  return { commandId, type, outcome: result.left._tag, ...(result.left._tag === 'OtpRejected' ? { reason: result.left.reason } : {}) };
};

if (mode === 'verify') {
  world.clock.set(spec.nowMs);
  const result = await world.send(user(COMPANY, spec.userId), { type: 'VerifyOtp', commandId: spec.commandId, otp: spec.code });
  await pool.end();
  const summary: VerifySummary = { dispatched: outcomeOf(spec.commandId, 'VerifyOtp', result), conflicts };
  console.log(JSON.stringify(summary));
  process.exit(0);
}

world.clock.set(spec.startMs);
const admin = user(COMPANY, spec.admin.userId);
const adminPhone = restoreDevice(spec.admin.device);
const dispatched: Dispatched[] = [];

const send = async (actor: Actor, type: string, fields: Record<string, unknown> = {}): Promise<E.Either<SdkError, DispatchResult>> => {
  const commandId = typeof fields['commandId'] === 'string' ? fields['commandId'] : `${spec.name}-${String(++commands)}`;
  const result = await world.send(actor, { type, ...fields, commandId });
  dispatched.push(outcomeOf(commandId, type, result));
  return result;
};

/** The phone's code at the next time step: every code this instance uses is newer than the last. */
const nextCode = (phone: DeviceToken): string => {
  world.clock.advance(STEP);
  return phone.code(world.clock.now());
};

/** Confirms, enrolls and activates a requested token; the phone, unless another instance got there first. */
const bringUp = async (serial: string, userId: string): Promise<DeviceToken | undefined> => {
  const confirmed = await send(admin, 'ConfirmTokenAssignment', { serial, otp: nextCode(adminPhone) });
  if (E.isLeft(confirmed)) return undefined;
  const { activation } = output<ActivationCodeOutput>(confirmed.right);
  const phone = activateDevice({ serial, activationCode: world.deliveredCode(serial), parameters: activation.otpParameters, random: seededRandom(spec.seed * 1000 + commands) });
  if (E.isLeft(phone)) throw new Error(`the phone refused the activation code: ${phone.left._tag}`);
  const enrolled = await send(user(COMPANY, userId), 'EnrollDevice', { serial, registrationCode: phone.right.registrationCode });
  if (E.isLeft(enrolled)) return undefined;
  const activated = await send(admin, 'ActivateToken', { serial, otp: nextCode(adminPhone) });
  return E.isLeft(activated) ? undefined : phone.right.token;
};

/** What an admin does when the quota is used up: deletes the first user's soft token on the screen. */
const freeSlot = async (): Promise<void> => {
  const table = await world.sdk.views.tokenTable(COMPANY, { pageSize: 100 })();
  if (E.isLeft(table)) throw new Error(table.left.message);
  const victim = table.right.rows.find((row) => row.kind === 'soft' && !(ADMINS as readonly string[]).includes(row.userId));
  if (victim !== undefined) await send(admin, 'DeleteToken', { serial: victim.serial, otp: nextCode(adminPhone) });
};

const workThrough = async (): Promise<void> => {
  for (let round = 0; round < spec.rounds; round++) {
    for (const userId of spec.users) {
      const index = Number(userId.slice(1));
      const selfService = index % 2 === 0;
      // A user's own request is the same command in every instance the first time.
      const request = (shared: boolean) =>
        selfService
          ? send(user(COMPANY, userId), 'RequestTokenAssignment', shared ? { commandId: `self-${userId}-${String(round)}` } : {})
          : send(admin, 'RequestTokenAssignment', { userId });
      let requested = await request(true);
      if (E.isLeft(requested) && requested.left._tag === 'QuotaExhausted') {
        await freeSlot();
        requested = await request(false);
      }
      if (E.isLeft(requested)) continue;
      const serial = output<RequestTokenAssignmentOutput>(requested.right).serial;
      const phone = await bringUp(serial, userId);
      // Some owners delete their token at once, confirming with a code from it.
      if (phone !== undefined && (index + round) % 3 === 0) await send(user(COMPANY, userId), 'DeleteToken', { serial, otp: nextCode(phone) });
    }
  }
};

// The durable token table, run whenever this instance can own it, until the work is done.
const checkpoints = ownershipWitness(pool, spec.schema).watch(postgresCheckpointStore(pool, { schema: spec.schema }));
let working = true;
let ownedRuns = 0;
const catchUp = async (): Promise<void> => {
  const run = await runProjection(store, checkpoints, countedTokenTable, { pageSize: PAGE_SIZE })();
  if (E.isLeft(run)) throw new Error(run.left.message);
  if (run.right.owned) ownedRuns++;
};
const project = async (): Promise<void> => {
  while (working) {
    await catchUp();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await catchUp();
};

// The start line: the test lets both instances go at the same moment.
await pool.query({ text: startLine(spec.schema).wait });
const projecting = project();
try {
  await workThrough();
} finally {
  working = false;
  await projecting;
}
await pool.end();
const summary: MixSummary = { dispatched, ownedRuns };
console.log(JSON.stringify(summary));
