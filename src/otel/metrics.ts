import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import type { StoredEvent } from '../events/envelope.js';
import type { LagReport } from '../ports/instrumentation.js';
import { ATTRIBUTES } from './attributes.js';

/** The SDK's instruments, and how commits and lag reports feed them. */
export interface SdkMetrics {
  readonly commands: Counter;
  readonly duration: Histogram;
  readonly retries: Counter;
  readonly conflicts: Counter;
  readonly committed: (events: readonly StoredEvent[]) => void;
  readonly lag: (report: LagReport) => void;
}

/** Seconds buckets for a command: a millisecond to ten seconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const stringField = (event: StoredEvent, field: string): string | undefined => {
  const value = event.data[field];
  return typeof value === 'string' ? value : undefined;
};

/** The instruments on `meter`; `now` dates the relay's last-published age on collection. */
export const sdkMetrics = (meter: Meter, now: () => number): SdkMetrics => {
  const commands = meter.createCounter('softtoken.commands', { description: 'Commands dispatched, by type and outcome', unit: '{command}' });
  const duration = meter.createHistogram('softtoken.command.duration', {
    description: 'Time from dispatch to its answer, retries included',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const retries = meter.createCounter('softtoken.command.retries', { description: 'Attempts started again after a version conflict', unit: '{retry}' });
  const conflicts = meter.createCounter('softtoken.command.conflicts', { description: 'Attempts that ended in a version conflict', unit: '{conflict}' });
  const verifications = meter.createCounter('softtoken.otp.verifications', { description: 'OTP verdicts committed: accepted, or the rejection reason', unit: '{verification}' });
  const locks = meter.createCounter('softtoken.token.locks', { description: 'Tokens locked, by reason', unit: '{lock}' });
  const projectionLag = meter.createObservableGauge('softtoken.projection.lag', { description: 'Committed events a projection has not folded yet', unit: '{event}' });
  const relayLag = meter.createObservableGauge('softtoken.relay.lag', { description: 'Committed events a relay has not published yet', unit: '{event}' });
  const relayAge = meter.createObservableGauge('softtoken.relay.last_published.age', { description: 'Age of the last event a relay published', unit: 's' });

  // Lags are kept as last reported and observed on collection: reporting one costs a map write.
  const projections = new Map<string, number>();
  const relays = new Map<string, { eventsBehind: number; lastPublishedMs?: number }>();
  projectionLag.addCallback((result) => {
    for (const [name, behind] of projections) result.observe(behind, { [ATTRIBUTES.projection]: name });
  });
  relayLag.addCallback((result) => {
    for (const [name, relay] of relays) result.observe(relay.eventsBehind, { [ATTRIBUTES.relay]: name });
  });
  relayAge.addCallback((result) => {
    for (const [name, relay] of relays) if (relay.lastPublishedMs !== undefined) result.observe(Math.max(0, now() - relay.lastPublishedMs) / 1000, { [ATTRIBUTES.relay]: name });
  });

  const count = (event: StoredEvent): void => {
    switch (event.type) {
      case 'OtpAccepted':
        verifications.add(1, { [ATTRIBUTES.otpOutcome]: 'accepted' });
        return;
      case 'OtpRejected':
        verifications.add(1, { [ATTRIBUTES.otpOutcome]: stringField(event, 'reason') ?? 'rejected' });
        return;
      case 'TokenLocked':
        locks.add(1, { [ATTRIBUTES.lockReason]: stringField(event, 'reason') ?? 'unknown' });
        return;
      default:
        return;
    }
  };

  return {
    commands,
    duration,
    retries,
    conflicts,
    committed: (events) => {
      for (const event of events) count(event);
    },
    lag: (report) => {
      if (report.kind === 'projection') {
        projections.set(report.name, report.eventsBehind);
        return;
      }
      const published = report.lastPublishedAt === undefined ? undefined : Date.parse(report.lastPublishedAt);
      const previous = relays.get(report.name)?.lastPublishedMs;
      const lastPublishedMs = published !== undefined && !Number.isNaN(published) ? published : previous;
      relays.set(report.name, lastPublishedMs === undefined ? { eventsBehind: report.eventsBehind } : { eventsBehind: report.eventsBehind, lastPublishedMs });
    },
  };
};
