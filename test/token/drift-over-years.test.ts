import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCompanyPolicy } from '../../src/domain/company/policy.js';
import { judgeOtp, requireOtp } from '../../src/domain/otp-rule/rule.js';
import { tokenEvent } from '../../src/domain/token/events.js';
import { evolveToken, initialTokenState, type Token } from '../../src/domain/token/state.js';
import { builtInOtpEngine } from '../../src/otp/built-in-engine.js';
import { defaultOtpParameters, type OtpMatch } from '../../src/otp/engine.js';
import type { OtpRejection } from '../../src/otp/rejection.js';
import { totp } from '../../src/otp/totp.js';
import { inMemorySecretVault } from '../../src/ports/in-memory-secret-vault.js';

/**
 * Drift over years: a hardware TOTP token whose clock runs fast or slow gains or loses a whole time
 * step every so many codes. Every code, checked in the step the token showed it, must keep being
 * accepted through the one OTP rule (the window follows the drift each accepted code records),
 * over thousands of codes: years of daily use. (A typing delay that crosses a step boundary right
 * as the clock gains a step is not followed yet: see docs/decisions.md, "Drift over years".)
 */
const STEP = 30_000;
const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);
const seed = Uint8Array.from({ length: 20 }, (_, index) => 7 * index + 3);
const vault = inMemorySecretVault();
void vault.put('seed-hw', seed);
const engine = builtInOtpEngine(vault);
const policy = defaultCompanyPolicy;

const importedToken = (): Token =>
  evolveToken(
    initialTokenState,
    tokenEvent('PhysicalTokenImported', { serial: 'HW1', companyId: 'acme', userId: 'bo', seedRef: 'seed-hw', parameters: defaultOtpParameters }),
  ) as Token;

/** One use: the token shows its code at `shownAt` on its own clock; the server checks it at `checkedAt`. */
const use = (token: Token, code: string, checkedAt: number): { readonly token: Token; readonly accepted: boolean; readonly drift?: number } => {
  const requirement = requireOtp(token, code, checkedAt);
  if (E.isLeft(requirement) || requirement.right._tag !== 'Verify') throw new Error('the token must be asked to verify');
  const verdict = engine.verify(requirement.right.request) as E.Either<OtpRejection, OtpMatch>;
  const judgement = judgeOtp(token, verdict, { command: 'VerifyOtp', nowMs: checkedAt, policy });
  if (E.isLeft(judgement)) throw new Error(judgement.left.message);
  const next = judgement.right.events.reduce(evolveToken, token) as Token;
  return { token: next, accepted: judgement.right._tag === 'Accepted', ...(E.isRight(verdict) ? { drift: verdict.right.drift } : {}) };
};

const scenario = fc.record({
  /** Accepted codes per whole step of drift. */
  codesPerStep: fc.integer({ min: 5, max: 200 }),
  direction: fc.constantFrom(1, -1),
  codes: fc.integer({ min: 1_000, max: 3_000 }),
  /** Per code: hours until the next use, and where in its time step the code is checked (ms). */
  gaps: fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: STEP - 1 })), { minLength: 50, maxLength: 50 }),
});

describe('drift over years', () => {
  it('keeps accepting every code of a token whose clock gains or loses a step every N codes, and records its drift', () => {
    fc.assert(
      fc.property(scenario, ({ codesPerStep, direction, codes, gaps }) => {
        let token = importedToken();
        let now = T0;
        for (let index = 0; index < codes; index++) {
          const [hours, phase] = gaps[index % gaps.length]!;
          now = (Math.floor(now / STEP) + hours * 120) * STEP + phase;
          const offsetSteps = direction * Math.floor(index / codesPerStep);
          const result = use(token, totp(seed, now + offsetSteps * STEP), now);
          if (!result.accepted) throw new Error(`code ${index} (clock ${offsetSteps} steps off, recorded drift ${String(token.drift)}) was refused`);
          token = result.token;
          // The recorded drift is where the token's clock is.
          if (token.drift !== offsetSteps) throw new Error(`code ${index}: recorded drift ${String(token.drift)}, clock ${offsetSteps} steps off`);
        }
        expect(token.drift).toBe(direction * Math.floor((codes - 1) / codesPerStep));
        expect(token.failures).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
