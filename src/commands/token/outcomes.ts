import * as E from 'fp-ts/lib/Either.js';
import { decodeTokenEvent, type TokenEvent, type TokenEventData, type TokenEventType } from '../../domain/token/events.js';
import { forbidden, infrastructure, otpRejected, registrationCodeInvalid, type SdkError } from '../../errors/sdk-error.js';
import type { StoredEvent } from '../../events/envelope.js';
import type { ActivationCodeOutput } from './context.js';

/** The first stored event of a type, decoded, with its stream. */
export const firstEvent = <Type extends TokenEventType>(
  events: readonly StoredEvent[],
  type: Type,
): { readonly data: TokenEventData<Type>; readonly streamId: string } | undefined => {
  for (const stored of events) {
    if (stored.type !== type) continue;
    const event = decodeTokenEvent(stored);
    if (event?.type === type) return { data: (event as Extract<TokenEvent, { type: Type }>).data, streamId: stored.streamId };
  }
  return undefined;
};

/** The serial of a token stream id. */
export const serialOfStream = (streamId: string): string => streamId.slice('token-'.length);

/**
 * The failure a command ended with, rebuilt from what it recorded: a replay of a refused command
 * fails the same way again. Undefined when the events record no refusal.
 */
export const recordedRefusal = (events: readonly StoredEvent[]): SdkError | undefined => {
  const otp = firstEvent(events, 'OtpRejected');
  if (otp !== undefined) return otpRejected(otp.data.reason);
  if (firstEvent(events, 'SecurityAnswerRejected') !== undefined) return forbidden('the answer to the security question is not correct');
  const registration = firstEvent(events, 'RegistrationCodeRejected');
  if (registration !== undefined) return registrationCodeInvalid(serialOfStream(registration.streamId));
  return undefined;
};

/**
 * The outcome of a replayed command: its output rebuilt from the event that marks success, or the
 * refusal it recorded.
 */
export const replayed = <O>(events: readonly StoredEvent[], rebuild: () => O | undefined): E.Either<SdkError, O> => {
  const output = rebuild();
  if (output !== undefined) return E.right(output);
  return E.left(recordedRefusal(events) ?? infrastructure('the recorded events do not tell this command\'s outcome'));
};

/**
 * The replayed outcome of a command that issued an activation code (a confirmation or a reissue):
 * the serial, the status and the code's expiry and OTP parameters, never the code itself.
 */
export const activationIssuedOutcome = (
  events: readonly StoredEvent[],
  type: 'TokenAssignmentConfirmed' | 'ActivationCodeReissued',
): E.Either<SdkError, ActivationCodeOutput> =>
  replayed(events, () => {
    const issued = firstEvent(events, type);
    return issued === undefined
      ? undefined
      : {
          serial: serialOfStream(issued.streamId),
          status: 'assigned' as const,
          activation: {
            codeDelivery: 'already-issued' as const,
            activationCodeExpiresAt: issued.data.activationCodeExpiresAt,
            otpParameters: issued.data.parameters,
          },
        };
  });
