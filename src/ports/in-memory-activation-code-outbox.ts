import type { ActivationCodeDelivery, ActivationCodeMessage, RecoveryCodesMessage } from './activation-code-delivery.js';

/** An `ActivationCodeDelivery` that keeps the messages in memory, for tests, the demo and examples. */
export interface InMemoryActivationCodeOutbox extends ActivationCodeDelivery {
  /** The newest message for a user (and serial, when given), as the owner's phone would show it. */
  readonly latestFor: (owner: { readonly companyId: string; readonly userId: string; readonly serial?: string }) => ActivationCodeMessage | undefined;
  /** Every message delivered so far, oldest first. */
  readonly messages: () => readonly ActivationCodeMessage[];
  /** Every set of recovery codes delivered so far, oldest first. */
  readonly recoveryMessages: () => readonly RecoveryCodesMessage[];
}

/**
 * An outbox in process memory standing in for the SMS, e-mail or app message a bank would send.
 * Not for production: the codes sit in the process heap in clear.
 */
export const inMemoryActivationCodeOutbox = (): InMemoryActivationCodeOutbox => {
  const sent: ActivationCodeMessage[] = [];
  const recovery: RecoveryCodesMessage[] = [];
  return {
    deliver: (message) => {
      sent.push({ ...message });
    },
    deliverRecoveryCodes: (message) => {
      recovery.push({ ...message, codes: [...message.codes] });
    },
    recoveryMessages: () => [...recovery],
    latestFor: ({ companyId, userId, serial }) => {
      for (let index = sent.length - 1; index >= 0; index--) {
        const message = sent[index];
        if (message?.companyId === companyId && message.userId === userId && (serial === undefined || message.serial === serial)) return message;
      }
      return undefined;
    },
    messages: () => [...sent],
  };
};
