import type { JsMsg } from '@nats-io/jetstream';

/** Everything a published message carries that a consumer could read: body and headers. */
export const readableText = (message: JsMsg): string => {
  const parts = [message.subject, message.string()];
  for (const [name, values] of message.headers ?? []) parts.push(name, ...values);
  return parts.join('\n');
};

/** The secrets among `candidates` (each in the forms it could leak as) that appear in `text`. */
export const leakedIn = (text: string, candidates: readonly string[]): string[] => candidates.filter((secret) => secret.length >= 6 && text.includes(secret));

/** A seed in every encoding a leak could take. */
export const seedForms = (seed: Uint8Array, base32: (bytes: Uint8Array) => string): string[] => {
  const bytes = Buffer.from(seed);
  return [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url'), base32(seed), base32(seed).replace(/=+$/, '')];
};

/** Fields that would hold a secret, were one ever published (`otp` with a string value: the policy has an `otp` section of settings). */
export const SECRET_FIELDS = /"(seed|secret|activationCode|registrationCode|securityAnswer|answer|key)"\s*:|"otp"\s*:\s*"/i;
