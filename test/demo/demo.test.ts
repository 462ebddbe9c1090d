import { spawnSync } from 'node:child_process';
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../examples/demo/run-demo.js';
import type { OtpEngine } from '../../src/index.js';

const root = resolve(import.meta.dirname, '../..');

describe('npm run demo', () => {
  let run: { status: number | null; stdout: string; stderr: string };

  beforeAll(() => {
    const script = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['demo'];
    // The same entry `npm run demo` runs, through the same loader, without npm around it.
    expect(script).toBe('tsx examples/demo/main.ts');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'examples/demo/main.ts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
  });

  it('exits 0 and says every step behaved as expected', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^OK: all \d+ steps behaved as expected/mu);
    expect(run.stdout).not.toContain('✗');
  });

  it('runs the Occidente flow to an active token that replaced the hardware one', () => {
    expect(run.stdout).toContain('1. Banco de Occidente');
    expect(run.stdout).toMatch(/ADQD1: confirms ST\w+ without a code → refused: OTP_REQUIRED/u);
    // Issue 15: the admin enrols online and confirms through the app; a signature for one command confirms no other.
    expect(run.stdout).toMatch(/ADQD1: logs into the bank's app, which sends its fresh public keys .* \(protocol v2\) → pending-activation/u);
    expect(run.stdout).toMatch(/ADQD1: activates ST\w+ through the app → active; hardware token FEF4900032 disabled/u);
    expect(run.stdout).toMatch(/tries that approval on another command .* → refused: OTP_REJECTED \(the app confirmation was refused \(other-command\)\)/u);
    expect(run.stdout).toMatch(/VictorP1: enrolls the phone .* → pending-activation \(method credentials\+physical-token\)/u);
    expect(run.stdout).toMatch(/→ active; hardware token FEF4900032 disabled in the same commit/u);
    expect(run.stdout).toMatch(/│ VictorP1 +│ FEF4900032 +│ [^│]+│ disabled \(physical\) +│/u);
  });

  it('shows the default policy\'s guessing risk, and refuses a guessable policy', () => {
    expect(run.stdout).toContain('a blind guesser under this (the default) lock policy: 3 accepted codes per guess (3e-6), 10 guesses a day (10 before the lock, 0 timed unlocks) → 3e-5 per day, 1 in 33,333 (refused above 1e-4)');
    expect(run.stdout).toMatch(/a window of ±100 steps → refused: INVALID_COMMAND \(invalid command: policy\.maxFailures: .* 8\.04e-2 per day/u);
  });

  it('prints the token table like the manual: columns, quota, paging', () => {
    expect(run.stdout).toMatch(/│ User +│ Serial +│ Last update +│ Status +│/u);
    expect(run.stdout).toContain('Quota: 5 soft tokens, 2 available');
    expect(run.stdout).toContain('showing 1 to 4 of 4');
  });

  it('runs the Internacional flow through the security question', () => {
    expect(run.stdout).toContain('2. Banco Internacional');
    expect(run.stdout).toMatch(/María Pérez: answers the security question wrongly → refused: FORBIDDEN/u);
    expect(run.stdout).toMatch(/María Pérez: answers the security question → active/u);
    expect(run.stdout).toMatch(/the activation QR code the portal shows María[^\n]*\n(?: +[ ▀▄█]+\n){10,}/u);
    expect(run.stdout).toMatch(/María's phone scans the QR code \(softtoken:1\?s=…&a=…&c=…\) → registration code \d{4}-/u);
  });

  it('runs the orders flow: upload, delete a duplicate, approve level by level with codes, revoke, execute', () => {
    expect(run.stdout).toContain('3. Orders');
    expect(run.stdout).toMatch(/uploads the payroll file again, by mistake → ORD-0003 .* possible duplicate of ORD-0001/u);
    expect(run.stdout).toMatch(/ADQD1: deletes the duplicate ORD-0003, confirming with a code → ORD-0003 deleted/u);
    expect(run.stdout).toMatch(/maker-checker\) → refused: FORBIDDEN/u);
    expect(run.stdout).toMatch(/VictorP1: approves level 1 of ORD-0001 and ORD-0002 in one batch, with one code → ORD-0001 level 1 → pending-approval; ORD-0002 level 1 → pending-approval/u);
    expect(run.stdout).toMatch(/ADQD1: approves level 3 of ORD-0001 → ORD-0001 level 3 → approved/u);
    expect(run.stdout).toMatch(/revokes ORD-0002 .* → ORD-0002 revoked/u);
    expect(run.stdout).toMatch(/executes ORD-0001 → ORD-0001 executed/u);
  });

  it('prints the orders views with their approvals, counts and exact totals', () => {
    expect(run.stdout).toMatch(/│ Order +│ Reference +│ Txns +│ Total +│ Status +│ Approvals \(level, by, at\) +│ Note +│/u);
    expect(run.stdout).toMatch(/│ ORD-0001 +│ NOMINA_ENERO_2025\.TXT +│ 120 +│ USD 45,250\.00 +│ executed +│ L1 VictorP1 \d\d:\d\d, L2 LuciaG2 \d\d:\d\d, L3 ADQD1 \d\d:\d\d +│/u);
    expect(run.stdout).toMatch(/│ ORD-0002 .* │ pending 2\/3 +│ .* │ you may approve the next level │/u);
    expect(run.stdout).toContain('showing 1 to 3 of 3 · 241 transactions · USD 91,700.00');
  });

  it('shows the refusals: five wrong codes lock the token, a replay is refused', () => {
    expect(run.stdout.match(/types a wrong code \(attempt \d of 5\) → refused: OTP_REJECTED/gu)).toHaveLength(5);
    expect(run.stdout).toMatch(/refused: TOKEN_LOCKED/u);
    expect(run.stdout).toMatch(/\(a replay\) → refused: OTP_REJECTED \(this code was already used/u);
  });

  it('ends with the audit trail and every stream\'s hash chain verified', () => {
    expect(run.stdout).toMatch(/│ # {2}│ When +│ Who +│ Action +│ Confirmed with +│ Outcome +│/u);
    expect(run.stdout).toMatch(/│ bank op-demo +│ UnlockToken +│ — +│ succeeded │/u);
    expect(run.stdout).toMatch(/✓ every stream's hash chain holds: (\d+) of \1 streams/u);
    expect(run.stdout).toMatch(/✓ the whole store verifies end to end: \d+ events in \d+ streams/u);
  });

  it('never prints an activation or registration code in full, nor a stack trace', () => {
    expect(run.stdout).not.toMatch(/\d{4}(-\d{4}){6}/u);
    expect(run.stdout).not.toMatch(/\d{4}(-\d{4}){5}/u);
    expect(run.stdout).toMatch(/registration code \d{4}(-••••){4}-\d{4}/u);
    // An admin's confirmation for someone else never shows the code: it goes to the owner's phone.
    expect(run.stdout).toMatch(/ADQD1: confirms ST\w+ through the app → assigned; activation code sent to the owner's phone only/u);
    expect(run.stdout).toMatch(/activation code \d{4}(-••••){5}-\d{4}/u);
    expect(run.stdout).not.toMatch(/^\s+at /mu);
  });
});

describe('the demo when the library misbehaves', () => {
  const captured = async (engine: OtpEngine): Promise<{ ok: boolean; lines: string[] }> => {
    const lines: string[] = [];
    const ok = await runDemo({ print: (line = '') => lines.push(line), sdk: { otpEngine: engine } });
    return { ok, lines };
  };

  it('fails with a readable line when a code that should pass is refused', async () => {
    const { ok, lines } = await captured({ verify: () => E.left({ _tag: 'mismatch' }), resync: () => E.left({ _tag: 'mismatch' }) });
    expect(ok).toBe(false);
    // The admin confirms through the app (no code): the first typed code is VictorP1's hardware token's.
    expect(lines.filter((line) => line.includes('✗'))).toEqual([expect.stringMatching(/^ {3}✗ VictorP1: enrolls the phone .* → expected success, got OTP_REJECTED/u)]);
    expect(lines.at(-1)).toMatch(/^FAILED: a step did not behave as expected: VictorP1: enrolls the phone .* → expected success, got OTP_REJECTED/u);
    expect(lines.join('\n')).not.toMatch(/^\s+at /mu);
  });

  it('fails with a readable line when a port breaks', async () => {
    const { ok, lines } = await captured({
      verify: () => {
        throw new Error('HSM unreachable');
      },
      resync: () => {
        throw new Error('HSM unreachable');
      },
    });
    expect(ok).toBe(false);
    expect(lines.at(-1)).toMatch(/^FAILED: a step did not behave as expected: .*INFRASTRUCTURE/u);
  });
});
