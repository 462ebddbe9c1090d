import * as t from 'io-ts';


/** io-ts codec of an identifier chosen by the host: the one id primitive of every domain (src/events/codecs.ts). */
export { EntityIdCodec } from '../../events/codecs.js';

const serviceIdSyntax = /^[A-Za-z0-9_.]{1,64}$/;

/**
 * io-ts codec of a service code of a company's contract (`PAGOS_PROVEEDORES`, `NOMINA`): 1 to 64
 * letters, digits, `_` or `.`. No `-`, so the stream id `agreement-{companyId}-{serviceId}` splits at
 * its last `-` and two different (company, service) pairs never share a stream.
 */
export const ServiceIdCodec = new t.Type<string, string, unknown>(
  'ServiceId',
  (input): input is string => typeof input === 'string' && serviceIdSyntax.test(input),
  (input, context) =>
    typeof input === 'string' && serviceIdSyntax.test(input)
      ? t.success(input)
      : t.failure(input, context, 'a service code of 1 to 64 letters, digits, "_" or "."'),
  t.identity,
);

/** The stream of the service agreement of `companyId` for `serviceId`. */
export const agreementStreamId = (companyId: string, serviceId: string): string => `agreement-${companyId}-${serviceId}`;

/** An approval level: 1 to 4 (the annex to the service contract sets how many an order needs). */
export type ApprovalLevel = 1 | 2 | 3 | 4;

/** The highest number of approval levels an agreement may require. */
export const MAX_APPROVAL_LEVELS = 4;

/** io-ts codec of an {@link ApprovalLevel}. */
export const ApprovalLevelCodec = new t.Type<ApprovalLevel, number, unknown>(
  'ApprovalLevel',
  (input): input is ApprovalLevel => input === 1 || input === 2 || input === 3 || input === 4,
  (input, context) =>
    input === 1 || input === 2 || input === 3 || input === 4 ? t.success(input) : t.failure(input, context, 'an approval level: 1, 2, 3 or 4'),
  t.identity,
);

const fingerprintSyntax = /^[0-9a-f]{64}$/;

/** io-ts codec of an order's content fingerprint: 64 lower-case hex digits (SHA-256). */
export const FingerprintCodec = new t.Type<string, string, unknown>(
  'Fingerprint',
  (input): input is string => typeof input === 'string' && fingerprintSyntax.test(input),
  (input, context) =>
    typeof input === 'string' && fingerprintSyntax.test(input) ? t.success(input) : t.failure(input, context, '64 lower-case hex digits'),
  t.identity,
);
