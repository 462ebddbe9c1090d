/**
 * The token domain on the PostgreSQL store, as the multi-instance tests share it between the test
 * and the instance processes: one company, its users, an SDK per instance built with `createSdk`
 * (through the SDK tests' harness) on `postgresEventStore`, with the vault shared through the
 * database, and the durable token table the instances run.
 */
import type { DeviceToken } from '../../../src/device/index.js';
import { decodeBase32, encodeBase32, restoreDeviceToken } from '../../../src/device/index.js';
import type { PgPool } from '../../../src/postgres/client.js';
import { postgresEventStore } from '../../../src/postgres/event-store.js';
import type { OtpParameters } from '../../../src/otp/engine.js';
import { tokenTableProjection } from '../../../src/projections/token-table/projection.js';
import type { EventStore } from '../../../src/store/event-store.js';
import { harness, person } from '../../sdk/harness.js';
import { sharedVault } from './shared-vault.js';
import { counted } from './tally.js';

export const COMPANY = 'acme';
/** One company admin per instance process. */
export const ADMINS = ['ada', 'abe'] as const;
/** The company's other users (u00 … u19). */
export const USERS = Array.from({ length: 20 }, (_, index) => `u${String(index).padStart(2, '0')}`);
/** The users the instances take through the lifecycle. */
export const MIX_USERS = USERS.slice(0, 10);
/** For the mix: the admins' tokens and four more, so the users compete for slots. */
export const MIX_QUOTA = ADMINS.length + 4;

export const directoryUsers = [...ADMINS.map((userId) => person(COMPANY, userId, { isCompanyAdmin: true })), ...USERS.map((userId) => person(COMPANY, userId))];

/** An SDK of the token domain on the store in `schema`, its secrets in the shared vault (a manual clock, seeded random). */
export const tokenWorld = (pool: PgPool, schema: string, seed: number, store: EventStore = postgresEventStore(pool, { schema })) =>
  harness(directoryUsers, { store, vault: sharedVault(pool, schema) }, seed);

/** The durable token table the instances run, with a tally of what it folded. */
export const countedTokenTable = counted(tokenTableProjection);

/** A phone's token, handed to another process. */
export interface DeviceSpec {
  readonly serial: string;
  readonly seed: string;
  readonly parameters: OtpParameters;
}

export const deviceSpec = (token: DeviceToken): DeviceSpec => ({ serial: token.serial, seed: encodeBase32(token.seed()), parameters: token.parameters });

export const restoreDevice = (spec: DeviceSpec): DeviceToken => {
  const seed = decodeBase32(spec.seed);
  if (seed._tag === 'Left') throw new Error('not a Base32 seed');
  const token = restoreDeviceToken({ serial: spec.serial, seed: seed.right, parameters: spec.parameters });
  if (token._tag === 'Left') throw new Error(`not a device token: ${token.left._tag}`);
  return token.right;
};

/** One command an instance dispatched and what came of it: `applied`, `replayed`, or the error's tag. */
export interface Dispatched {
  readonly commandId: string;
  readonly type: string;
  readonly outcome: string;
  /** `OtpRejected`'s reason. */
  readonly reason?: string;
}

/** What `token-instance.ts mix` is told. */
export interface MixSpec {
  readonly url: string;
  readonly schema: string;
  readonly name: string;
  readonly seed: number;
  /** Where the instance's clock starts: after every step the setup used. */
  readonly startMs: number;
  readonly admin: { readonly userId: string; readonly device: DeviceSpec };
  /** The users, in the order this instance goes through them. */
  readonly users: readonly string[];
  readonly rounds: number;
}

/** What `token-instance.ts mix` reports. */
export interface MixSummary {
  readonly dispatched: readonly Dispatched[];
  readonly ownedRuns: number;
}

/** What `token-instance.ts verify` is told: one VerifyOtp with a given code at a given time. */
export interface VerifySpec {
  readonly url: string;
  readonly schema: string;
  readonly name: string;
  readonly seed: number;
  readonly nowMs: number;
  readonly userId: string;
  readonly code: string;
  readonly commandId: string;
}

/** What `token-instance.ts verify` reports: the outcome, and the version conflicts its store answered. */
export interface VerifySummary {
  readonly dispatched: Dispatched;
  readonly conflicts: number;
}
