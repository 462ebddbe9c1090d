/**
 * The demo's world: the SDK on its in-memory defaults, the bank's user directory, a clock the
 * demo moves (so a user "waits for the next code" without the demo waiting 30 s), and the
 * users' phones, played by `softtoken-sdk/device`.
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { activateDevice, parseActivationPayload, type DeviceToken } from '../../src/device/index.js';
import { createSdk, inMemoryActivationCodeOutbox, inMemoryDirectory, type ActivationOutput, type Actor, type InMemoryDirectoryUser, type Sdk, type SdkConfig } from '../../src/index.js';
import { manualClock, type ManualClock } from '../../src/ports/clock.js';
import { UnexpectedOutcome, type Who } from './stage.js';

/** The TOTP period of the default OTP parameters. */
export const STEP_MS = 30_000;

/** A user of a client company, as the directory and the demo know them. */
export interface Person extends Who {
  readonly actor: Extract<Actor, { kind: 'user' }>;
  readonly userId: string;
  readonly companyId: string;
}

/** A bank operator (bank-side commands). */
export const bankOperator: Who = { label: 'bank operator', actor: { kind: 'bank', operatorId: 'op-demo' } };

/** A directory entry with an email and a mobile number, active. */
export const directoryEntry = (
  companyId: string,
  userId: string,
  displayName: string,
  extra: Partial<Pick<InMemoryDirectoryUser, 'isCompanyAdmin' | 'securityAnswer'>> = {},
): InMemoryDirectoryUser => ({
  companyId,
  userId,
  displayName,
  active: true,
  email: `${userId}@example.com`,
  mobile: '+57 300 000 0000',
  isCompanyAdmin: extra.isCompanyAdmin ?? false,
  ...(extra.securityAnswer === undefined ? {} : { securityAnswer: extra.securityAnswer }),
});

/** A person of the directory, as the demo addresses them. */
export const personOf = (entry: InMemoryDirectoryUser): Person => ({
  label: entry.displayName,
  userId: entry.userId,
  companyId: entry.companyId,
  actor: { kind: 'user', companyId: entry.companyId, userId: entry.userId },
});

export interface World {
  readonly sdk: Sdk;
  readonly clock: ManualClock;
  /** The phone app of a person, once activated. */
  readonly phones: Map<string, DeviceToken>;
  /**
   * Activates a person's phone app: serial and activation code in, registration code out. The code
   * is the one the portal showed the person (when they issued it themself), else the one the bank
   * sent to their phone: an admin never sees it.
   */
  readonly activatePhone: (who: Person, serial: string, activation: ActivationOutput | undefined) => string;
  /**
   * Activates a person's phone app from the activation QR code the portal showed them: the app
   * reads the payload (serial, activation code, parameters) instead of having them typed.
   */
  readonly scanActivationQr: (who: Person, payload: string) => string;
  /** The person's next code: the clock moves to the next 30-second step first, as a user waits for a fresh code. */
  readonly nextCode: (who: Person) => string;
}

const keyOf = (who: Person): string => `${who.companyId}/${who.userId}`;

/**
 * Builds the world: `createSdk` with the demo's clock and directory, and an in-memory outbox standing
 * in for the SMS that carries an activation code to its owner's phone; every other port is the
 * in-memory default.
 */
export const world = (people: readonly InMemoryDirectoryUser[], startMs: number, config: Partial<SdkConfig> = {}): World => {
  const clock = manualClock(startMs);
  const outbox = inMemoryActivationCodeOutbox();
  const sdk = createSdk({ clock, directory: inMemoryDirectory(people), activationCodeDelivery: outbox, ...config });
  const phones = new Map<string, DeviceToken>();
  return {
    sdk,
    clock,
    phones,
    activatePhone: (who, serial, activation) => {
      const activationCode = activation?.activationCode ?? outbox.latestFor({ companyId: who.companyId, userId: who.userId, serial })?.activationCode;
      if (activation === undefined || activationCode === undefined) throw new UnexpectedOutcome(`no activation code reached ${who.label} for ${serial}`);
      const activated = activateDevice({ serial, activationCode, parameters: activation.otpParameters });
      if (E.isLeft(activated)) throw new UnexpectedOutcome(`${who.label}'s phone refused the activation code (${activated.left._tag})`);
      phones.set(keyOf(who), activated.right.token);
      return activated.right.registrationCode;
    },
    scanActivationQr: (who, payload) => {
      const activated = pipe(
        parseActivationPayload(payload),
        E.chain((scanned) => activateDevice({ serial: scanned.serial, activationCode: scanned.activationCode, parameters: scanned.otpParameters })),
      );
      if (E.isLeft(activated)) throw new UnexpectedOutcome(`${who.label}'s phone refused the activation QR code (${activated.left._tag})`);
      phones.set(keyOf(who), activated.right.token);
      return activated.right.registrationCode;
    },
    nextCode: (who) => {
      const phone = phones.get(keyOf(who));
      if (phone === undefined) throw new UnexpectedOutcome(`${who.label} has no phone app`);
      clock.advance(STEP_MS);
      return phone.code(clock.now());
    },
  };
};
