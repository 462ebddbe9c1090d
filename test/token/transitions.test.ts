import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCompanyPolicy } from '../../src/domain/company/policy.js';
import { requireTransition } from '../../src/domain/token/admit.js';
import { tokenRefusal } from '../../src/domain/token/decide.js';
import { evolveToken, initialTokenState, type TokenState } from '../../src/domain/token/state.js';
import { tokenStatuses } from '../../src/domain/token/status.js';
import { targetOf, tokenCommandTypes, tokenSideTransitions, tokenTransitions, transitionOf } from '../../src/domain/token/transitions.js';
import { decideToken, type TokenIntent, active, asToken, assigned, deleted, facts, identity, issue, pending, pendingActivation, physical, SERIAL, stateAfter, T0 } from './fixtures.js';

describe('the transition table', () => {
  it('has one row per command, in the order of the command list', () => {
    expect(tokenTransitions.map((row) => row.command)).toEqual([...tokenCommandTypes]);
    for (const command of tokenCommandTypes) expect(transitionOf(command).command).toBe(command);
  });

  it('matches the lifecycle of the design', () => {
    const summary = Object.fromEntries(tokenTransitions.map((row) => [row.command, `${row.from.join('|')} -> ${row.to}`]));
    expect(summary).toEqual({
      ConfigureCompany: ' -> same',
      RequestTokenAssignment: 'none -> pending',
      ConfirmTokenAssignment: 'pending -> assigned',
      ReissueActivationCode: 'assigned -> same',
      EnrollDevice: 'assigned|active|lost -> pending-activation',
      ActivateToken: 'pending-activation -> active',
      DeleteToken: 'pending|assigned|pending-activation|active|suspended|lost|unassigned -> deleted',
      ImportPhysicalToken: 'none -> active',
      ImportPhysicalTokens: 'none -> unassigned',
      AssignPhysicalToken: 'unassigned -> active',
      VerifyOtp: 'active -> same',
      UnlockToken: 'pending-activation|active|suspended|lost -> same',
      ResyncToken: 'active -> same',
      ClearSecurityQuestionLock: ' -> same',
      SuspendToken: 'active -> suspended',
      ResumeToken: 'suspended -> active',
      ReportTokenLost: 'active|suspended -> lost',
      ReactivateToken: 'active|lost -> same',
    });
    // A reactivation's enrolment keeps the token active: the new phone replaces the old one.
    expect(transitionOf('EnrollDevice').toFrom).toEqual({ active: 'active', lost: 'active' });
    expect(tokenSideTransitions.map((row) => `${row.event}: ${row.from.join('|')} -> ${row.to}`)).toEqual([
      'PhysicalTokenDisabled: active -> disabled',
      'DeviceReplaced: active|lost -> active',
    ]);
  });

  it('uses only known statuses', () => {
    for (const row of tokenTransitions) {
      for (const from of row.from) expect(['none', ...tokenStatuses]).toContain(from);
      expect(['same', ...tokenStatuses]).toContain(row.to);
    }
  });
});

const states: Record<string, TokenState> = {
  none: initialTokenState,
  pending: stateAfter(pending),
  assigned: stateAfter(assigned),
  'pending-activation': stateAfter(pendingActivation),
  active: stateAfter(active),
  deleted: stateAfter(deleted),
  suspended: stateAfter([...active, { type: 'SuspendToken', serial: SERIAL }]),
  lost: stateAfter([...active, { type: 'ReportTokenLost', serial: SERIAL }]),
};

const intentFor = (command: (typeof tokenCommandTypes)[number]): TokenIntent | undefined => {
  switch (command) {
    case 'RequestTokenAssignment':
      return { type: command, identity };
    case 'ConfirmTokenAssignment':
      return { type: command, serial: SERIAL, issue: issue() };
    case 'ReissueActivationCode':
      return { type: command, serial: SERIAL, issue: { ref: 'ac-2', expiresAtMs: T0 + 1000 } };
    case 'EnrollDevice':
      return { type: command, serial: SERIAL, method: 'activation-code', registration: { valid: true, seedRef: 's' } };
    case 'ActivateToken':
      return { type: command, serial: SERIAL, method: 'admin' };
    case 'DeleteToken':
      return { type: command, serial: SERIAL };
    case 'UnlockToken':
    case 'SuspendToken':
    case 'ResumeToken':
    case 'ReportTokenLost':
      return { type: command, serial: SERIAL };
    case 'ReactivateToken':
      return { type: command, serial: SERIAL, issue: { ref: 'ac-3', expiresAtMs: T0 + 1000 } };
    case 'ImportPhysicalToken':
      return physical[0];
    default:
      return undefined;
  }
};

describe('a command outside its row', () => {
  it('is an InvalidTransition naming the state and the command, or NotFound for a token that does not exist', () => {
    for (const row of tokenTransitions.filter((r) => r.subject === 'token')) {
      for (const [name, state] of Object.entries(states)) {
        const result = requireTransition(row.command, state, SERIAL, T0);
        if (name === 'none') {
          expect(result).toEqual(E.left(expect.objectContaining({ _tag: 'NotFound', entity: 'token', id: SERIAL })));
        } else if (!row.from.includes(asToken(state).status)) {
          expect(result).toEqual(E.left(expect.objectContaining({ _tag: 'InvalidTransition', from: name, command: row.command })));
        } else if (row.locked !== 'locked') {
          expect(E.isRight(result)).toBe(true);
        }
      }
    }
  });

  it('leads, through decideToken, to exactly the row\'s target state or to a typed refusal', () => {
    const commands = tokenCommandTypes.filter((command) => intentFor(command) !== undefined);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...commands), { maxLength: 12 }), (sequence) => {
        let state: TokenState = initialTokenState;
        for (const command of sequence) {
          const intent = intentFor(command)!;
          const before = state;
          const result = decideToken(intent, state, facts(T0, defaultCompanyPolicy));
          const row = transitionOf(command);
          if (E.isLeft(result)) {
            expect(['InvalidTransition', 'NotFound', 'PreconditionFailed']).toContain(result.left._tag);
            if (result.left._tag === 'InvalidTransition') {
              expect(result.left.command).toBe(command);
              expect(result.left.from).toBe(before.status);
            }
            continue;
          }
          state = result.right.reduce(evolveToken, state);
          expect(row.from).toContain(before.status);
          if (tokenRefusal(result.right, SERIAL) === undefined && command !== 'UnlockToken') {
            expect(state.status).toBe(before.status === 'none' ? (row.to === 'same' ? before.status : row.to) : targetOf(row, before.status));
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a second token under an existing serial', () => {
    expect(decideToken({ type: 'RequestTokenAssignment', identity }, states.pending!, facts())).toEqual(
      E.left(expect.objectContaining({ _tag: 'PreconditionFailed', precondition: 'unique-serial' })),
    );
  });

  it('refuses soft-only commands on a physical token', () => {
    const token = stateAfter(physical);
    expect(requireTransition('ActivateToken', token, 'FEF4900032', T0)).toEqual(E.left(expect.objectContaining({ _tag: 'InvalidTransition', from: 'active' })));
  });
});
