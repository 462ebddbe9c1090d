import type { PersistentMap } from '../../collections/persistent-map.js';
import { emptyMap, getEntry, removeEntry, setEntry } from '../../collections/persistent-map.js';
import type { AgreementEvent } from './events.js';
import type { ApprovalLevel } from './ids.js';
import type { ApprovalFactorPolicy } from './approval-factor.js';
import { defaultApprovalFactorPolicy } from './approval-factor.js';

/** A registered service agreement: levels, approvers, and the index of live orders by content. */
export interface RegisteredAgreement {
  readonly status: 'registered';
  readonly companyId: string;
  readonly serviceId: string;
  /** Levels an order uploaded now needs (orders keep the value they were uploaded with). */
  readonly approvalLevels: ApprovalLevel;
  /** Which factor confirms approvals of the service's orders (read at approval time). */
  readonly approvalFactor: ApprovalFactorPolicy;
  /** userId -> the levels the user may approve, ascending. */
  readonly grants: PersistentMap<readonly ApprovalLevel[]>;
  /**
   * orderId -> content fingerprint, for every live order a 0.1 log recorded here. New uploads keep
   * their index in a stream per content (`duplicateIndexStreamId`), so uploads do not contend here.
   */
  readonly liveOrders: PersistentMap<string>;
  /** fingerprint -> the live orders with that content, oldest first. */
  readonly liveByFingerprint: PersistentMap<readonly string[]>;
}

/** The state of an `agreement-{companyId}-{serviceId}` stream. */
export type AgreementState = { readonly status: 'none' } | RegisteredAgreement;

/** The state of a stream with no events. */
export const initialAgreementState: AgreementState = { status: 'none' };

/** The levels `userId` holds in an agreement (none when it is not registered). */
export const grantsOf = (agreement: AgreementState, userId: string): readonly ApprovalLevel[] =>
  agreement.status === 'registered' ? (getEntry(agreement.grants, userId) ?? []) : [];

/** The live orders of an agreement with content `fingerprint`, oldest first. */
export const liveOrdersWith = (agreement: AgreementState, fingerprint: string): readonly string[] =>
  agreement.status === 'registered' ? (getEntry(agreement.liveByFingerprint, fingerprint) ?? []) : [];

const withGrant = (levels: readonly ApprovalLevel[] | undefined, level: ApprovalLevel): readonly ApprovalLevel[] =>
  levels?.includes(level) === true ? levels : [...(levels ?? []), level].sort((a, b) => a - b);

const registered = (state: AgreementState, change: (agreement: RegisteredAgreement) => RegisteredAgreement): AgreementState =>
  state.status === 'registered' ? change(state) : state;

/** Folds one event into an agreement's state. Pure; earlier states stay valid (structural sharing). */
export const evolveAgreement = (state: AgreementState, event: AgreementEvent): AgreementState => {
  switch (event.type) {
    case 'ServiceAgreementRegistered':
      return {
        status: 'registered',
        companyId: event.data.companyId,
        serviceId: event.data.serviceId,
        approvalLevels: event.data.approvalLevels,
        approvalFactor: defaultApprovalFactorPolicy,
        grants: emptyMap(),
        liveOrders: emptyMap(),
        liveByFingerprint: emptyMap(),
      };
    case 'ApprovalLevelsChanged':
      return registered(state, (agreement) => ({ ...agreement, approvalLevels: event.data.to }));
    case 'ApprovalFactorChanged':
      return registered(state, (agreement) => ({
        ...agreement,
        approvalFactor: { approvalFactor: event.data.approvalFactor, dynamicLinkingAbove: event.data.dynamicLinkingAbove },
      }));
    case 'ApproverGranted':
      return registered(state, (agreement) => ({
        ...agreement,
        grants: setEntry(agreement.grants, event.data.userId, withGrant(getEntry(agreement.grants, event.data.userId), event.data.level)),
      }));
    case 'ApproverRevoked':
      return registered(state, (agreement) => {
        const remaining = (getEntry(agreement.grants, event.data.userId) ?? []).filter((level) => level !== event.data.level);
        return {
          ...agreement,
          grants: remaining.length === 0 ? removeEntry(agreement.grants, event.data.userId) : setEntry(agreement.grants, event.data.userId, remaining),
        };
      });
    case 'OrderFingerprintRecorded':
      return registered(state, (agreement) => ({
        ...agreement,
        liveOrders: setEntry(agreement.liveOrders, event.data.orderId, event.data.fingerprint),
        liveByFingerprint: setEntry(agreement.liveByFingerprint, event.data.fingerprint, [
          ...(getEntry(agreement.liveByFingerprint, event.data.fingerprint) ?? []),
          event.data.orderId,
        ]),
      }));
    case 'OrderFingerprintReleased':
      return registered(state, (agreement) => {
        const others = (getEntry(agreement.liveByFingerprint, event.data.fingerprint) ?? []).filter((orderId) => orderId !== event.data.orderId);
        return {
          ...agreement,
          liveOrders: removeEntry(agreement.liveOrders, event.data.orderId),
          liveByFingerprint:
            others.length === 0 ? removeEntry(agreement.liveByFingerprint, event.data.fingerprint) : setEntry(agreement.liveByFingerprint, event.data.fingerprint, others),
        };
      });
  }
};
