import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { SdkError } from '../../errors/sdk-error.js';
import { notFound, preconditionFailed } from '../../errors/sdk-error.js';
import type { Decider } from '../../events/decider.js';
import type { ActorFacts } from '../actor/actor-facts.js';
import type { AgreementCommand, RegisterServiceAgreement } from './commands.js';
import type { ApprovalFactorPolicy } from './approval-factor.js';
import { defaultApprovalFactorPolicy, samePolicy } from './approval-factor.js';
import type { AgreementEvent } from './events.js';
import { requireBank } from './guards.js';
import type { ApprovalLevel } from './ids.js';
import type { AgreementState, RegisteredAgreement } from './state.js';
import { evolveAgreement, grantsOf, initialAgreementState } from './state.js';

/** What the shell gathers before an agreement command is decided. */
export interface AgreementFacts {
  readonly actor: ActorFacts;
  /** For `GrantApprover`: whether the directory knows the grantee as an active user of the company. */
  readonly granteeActive?: boolean;
}

const requireRegistered = (state: AgreementState, companyId: string, serviceId: string): Either<SdkError, RegisteredAgreement> =>
  state.status === 'registered' ? E.right(state) : E.left(notFound('service agreement', `${companyId}/${serviceId}`));

/** The `ApprovalFactorChanged` a registration asks for, if it names a factor policy other than the one in force. */
const factorChange = (command: RegisterServiceAgreement, current: ApprovalFactorPolicy): readonly AgreementEvent[] => {
  if (command.approvalFactor === undefined && command.dynamicLinkingAbove === undefined) return [];
  const approvalFactor = command.approvalFactor ?? current.approvalFactor;
  const wanted: ApprovalFactorPolicy = { approvalFactor, dynamicLinkingAbove: approvalFactor === 'otp' ? {} : (command.dynamicLinkingAbove ?? current.dynamicLinkingAbove) };
  return samePolicy(wanted, current)
    ? []
    : [{ type: 'ApprovalFactorChanged', data: { companyId: command.companyId, serviceId: command.serviceId, ...wanted } }];
};

/**
 * Decides an agreement command. Bank side only. Registering an agreement that exists with the same
 * levels, granting a level already held or revoking one not held changes nothing (no events): the
 * grants are a set.
 */
export const decideAgreement = (command: AgreementCommand, state: AgreementState, facts: AgreementFacts): Either<SdkError, readonly AgreementEvent[]> =>
  pipe(
    requireBank(facts.actor, command.type),
    E.chain((): Either<SdkError, readonly AgreementEvent[]> => {
      const { companyId, serviceId } = command;
      switch (command.type) {
        case 'RegisterServiceAgreement': {
          const factor = factorChange(command, state.status === 'none' ? defaultApprovalFactorPolicy : state.approvalFactor);
          if (state.status === 'none') {
            return E.right([{ type: 'ServiceAgreementRegistered', data: { companyId, serviceId, approvalLevels: command.approvalLevels } }, ...factor]);
          }
          return E.right([
            ...(state.approvalLevels === command.approvalLevels
              ? []
              : [{ type: 'ApprovalLevelsChanged' as const, data: { companyId, serviceId, from: state.approvalLevels, to: command.approvalLevels } }]),
            ...factor,
          ]);
        }
        case 'GrantApprover':
          return pipe(
            requireRegistered(state, companyId, serviceId),
            E.chain((agreement) =>
              facts.granteeActive === true
                ? E.right(agreement)
                : E.left(preconditionFailed('approver-active', `user ${command.userId} is not an active user of company ${companyId}`)),
            ),
            E.map((agreement): readonly AgreementEvent[] =>
              grantsOf(agreement, command.userId).includes(command.level)
                ? []
                : [{ type: 'ApproverGranted', data: { companyId, serviceId, userId: command.userId, level: command.level } }],
            ),
          );
        case 'RevokeApprover':
          return pipe(
            requireRegistered(state, companyId, serviceId),
            E.map((agreement) => {
              const held = grantsOf(agreement, command.userId);
              const revoked: readonly ApprovalLevel[] = command.level === undefined ? held : held.filter((level) => level === command.level);
              return revoked.map((level): AgreementEvent => ({ type: 'ApproverRevoked', data: { companyId, serviceId, userId: command.userId, level } }));
            }),
          );
      }
    }),
  );

/** The agreement stream as a {@link Decider}: `decideAgreement`, `evolveAgreement`, the empty state. */
export const agreementDecider: Decider<AgreementCommand, AgreementState, AgreementEvent, AgreementFacts> = {
  decide: decideAgreement,
  evolve: evolveAgreement,
  initialState: initialAgreementState,
};
