import * as E from 'fp-ts/lib/Either.js';
import type { DispatchResult } from '../../src/commands/command-handler.js';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { Actor } from '../../src/events/envelope.js';
import { manualClock } from '../../src/ports/clock.js';
import { inMemoryActivationCodeOutbox } from '../../src/ports/in-memory-activation-code-outbox.js';
import { inMemoryDirectory, type InMemoryDirectoryUser } from '../../src/ports/in-memory-directory.js';
import { inMemorySecretVault } from '../../src/ports/in-memory-secret-vault.js';
import { seededRandom } from '../../src/ports/random.js';
import type { SecretVault } from '../../src/ports/secret-vault.js';
import { createSdk, type SdkConfig } from '../../src/sdk/create-sdk.js';

export const T0 = Date.UTC(2025, 0, 15, 14, 0, 5);
export const STEP = 30_000;

export const bank: Actor = { kind: 'bank', operatorId: 'op-7' };
export const user = (companyId: string, userId: string): Extract<Actor, { kind: 'user' }> => ({ kind: 'user', companyId, userId });

export const person = (companyId: string, userId: string, fields: Partial<InMemoryDirectoryUser> = {}): InMemoryDirectoryUser => ({
  companyId,
  userId,
  displayName: userId,
  active: true,
  email: `${userId}@example.com`,
  mobile: '+573001234567',
  isCompanyAdmin: false,
  ...fields,
});

/** A vault that also remembers every secret ever put, to scan events and errors for them. */
export const recordingVault = (): SecretVault & { readonly everPut: () => readonly Uint8Array[] } => {
  const inner = inMemorySecretVault();
  const seen: Uint8Array[] = [];
  return {
    put: (ref, secret) => {
      seen.push(Uint8Array.from(secret));
      return inner.put(ref, secret);
    },
    get: (ref) => inner.get(ref),
    destroy: (ref) => inner.destroy(ref),
    everPut: () => seen,
  };
};

/** An SDK on in-memory ports with a manual clock, and helpers to send commands as someone. */
export const harness = (users: readonly InMemoryDirectoryUser[], config: Partial<SdkConfig> = {}, seed = 1) => {
  const clock = manualClock(T0);
  const directory = inMemoryDirectory(users);
  const vault = recordingVault();
  // The owners' phones: where an activation code an admin or the bank issued is delivered.
  const outbox = inMemoryActivationCodeOutbox();
  const sdk = createSdk({ clock, directory, vault, random: seededRandom(seed), activationCodeDelivery: outbox, ...config });
  /** The newest activation code delivered to the owner of a token, as their phone shows it. */
  const deliveredCode = (serial: string): string => {
    const message = outbox.messages().filter((sent) => sent.serial === serial).at(-1);
    if (message === undefined) throw new Error(`no activation code was delivered for ${serial}`);
    return message.activationCode;
  };
  let counter = 0;
  const send = async (actor: Actor, command: Record<string, unknown>): Promise<E.Either<SdkError, DispatchResult>> =>
    sdk.dispatchJson({ commandId: `cmd-${String(++counter)}`, actor, ...command })();
  const ok = async (actor: Actor, command: Record<string, unknown>): Promise<DispatchResult> => {
    const result = await send(actor, command);
    if (E.isLeft(result)) throw new Error(`${String(command.type)} failed: ${result.left.code} ${result.left.message}`);
    return result.right;
  };
  const fails = async (actor: Actor, command: Record<string, unknown>): Promise<SdkError> => {
    const result = await send(actor, command);
    if (E.isRight(result)) throw new Error(`${String(command.type)} succeeded but should have failed`);
    return result.left;
  };
  return { sdk, clock, directory, vault, outbox, deliveredCode, send, ok, fails };
};

/** The output of a dispatch, as the test expects it to be shaped. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it expects
export const output = <O>(result: DispatchResult): O => result.output as O;
