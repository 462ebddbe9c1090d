import * as t from 'io-ts';
import { defineEvents, type EventsOf } from '../../events/define-events.js';
import { boundedString, intBetween } from '../../events/codecs.js';
import { CompanyPolicyCodec, QuotaCodec } from './policy.js';

/** A user id or serial as the company stream records it. */
const Id = boundedString(128);

/** The payload codecs of the company stream's events, by event type (schema version 1). */
export const companyEvents = defineEvents({
  /** The bank set the quota and the policy (a full snapshot, also on reconfiguration). */
  CompanyConfigured: t.readonly(t.type({ quota: QuotaCodec, policy: CompanyPolicyCodec })),
  /** A soft token took a quota slot: appended with the token's TokenRequested. */
  TokenSlotReserved: t.readonly(t.type({ serial: Id, userId: Id })),
  /** A soft token gave its slot back: appended with the token's TokenDeleted. */
  TokenSlotReleased: t.readonly(t.type({ serial: Id, userId: Id })),
  /** A physical token now belongs to a user of the company. */
  PhysicalTokenRegistered: t.readonly(t.type({ serial: Id, userId: Id })),
  /** A user's physical token was deleted or disabled. */
  PhysicalTokenRetired: t.readonly(t.type({ serial: Id, userId: Id })),
  /**
   * A user answered their security question wrongly: `failures` counts the user's wrong answers
   * across all their tokens (deleting a token and requesting another does not reset it). At the
   * policy's `registrationAttempts` the user cannot activate by security question until cleared.
   */
  SecurityAnswerFailed: t.readonly(t.type({ userId: Id, serial: Id, failures: intBetween(1, 1_000_000) })),
  /** The user's wrong answers were forgotten: they answered correctly, or an admin or the bank cleared the lock. */
  SecurityAnswerFailuresCleared: t.readonly(t.type({ userId: Id, by: t.keyof({ 'correct-answer': null, admin: null, bank: null }) })),
});

/** The payload codec of each company event type. */
export const companyEventCodecs = companyEvents.codecs;

/** The type of {@link companyEventCodecs}. */
export type CompanyEventCodecs = typeof companyEventCodecs;

/** The company stream's event type names. */
export type CompanyEventType = keyof CompanyEventCodecs;

/** An event of the company stream: its type and its payload. */
export type CompanyEvent = EventsOf<CompanyEventCodecs>;

/** The company stream of a company. */
export const companyStreamId = (companyId: string): string => `company-${companyId}`;

/** A stored payload as a company event, when its type is a company event's and its data passes the codec. */
export const decodeCompanyEvent = companyEvents.decode;
