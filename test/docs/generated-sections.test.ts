import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { errorCatalog } from '../../examples/http/errors.js';
import {
  currentBlock,
  defaultsTable,
  markers,
  mermaidStateDiagram,
  orderLifecycleDiagram,
  otpSettings,
  policySettings,
  readmeBlocks,
  rewriteReadme,
  tokenLifecycleDiagram,
  type SettingRange,
} from '../../scripts/readme-blocks.js';
import { activationCodeExpired, concurrencyConflict, defaultCompanyPolicy, duplicateCommand, forbidden, idempotencyKeyReused, infrastructure, invalidCommand, invalidTransition, notFound, otpRejected, otpRequired, preconditionFailed, quotaExhausted, registrationCodeInvalid, tokenLocked, type SdkError } from '../../src/index.js';
import { CompanyPolicyPatchCodec } from '../../src/domain/company/policy.js';
import { orderStatuses } from '../../src/domain/order/status.js';
import { orderTransitions } from '../../src/domain/order/transitions.js';
import { tokenStatuses } from '../../src/domain/token/status.js';
import { tokenTransitions } from '../../src/domain/token/transitions.js';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'softtoken-readme-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("the README's generated sections", () => {
  it.each(readmeBlocks().map((block) => [block.name, block] as const))('%s is what the code renders now (run npm run docs:diagrams)', (_name, block) => {
    expect(currentBlock(readme, block.name)).toBe(block.markdown);
  });

  it('are rewritten in place, and only between their markers', () => {
    const { start, end } = markers('token-lifecycle');
    const stale = `intro\n${start}\nold diagram\n${end}\noutro\n`;
    const { text, missing } = rewriteReadme(stale, [{ name: 'token-lifecycle', markdown: 'new diagram' }, { name: 'absent', markdown: 'x' }]);
    expect(text).toBe(`intro\n${start}\nnew diagram\n${end}\noutro\n`);
    expect(missing).toEqual(['absent']);
    expect(rewriteReadme(text, [{ name: 'token-lifecycle', markdown: 'new diagram' }]).text).toBe(text);
  });

  it('npm run docs:diagrams -- --check fails on a drifted copy, and a rewrite restores the README', () => {
    const copy = join(scratch, 'README.md');
    writeFileSync(copy, readme.replace('[*] --> pending: RequestTokenAssignment', '[*] --> pending: SomethingElse'));
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/diagrams.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    const check = run('--check', copy);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('differ from the code');
    expect(run(copy).status).toBe(0);
    expect(readFileSync(copy, 'utf8')).toBe(readme);
    expect(run('--check').status).toBe(0);
  });
});

describe('the lifecycle diagrams', () => {
  const diagram = tokenLifecycleDiagram();
  const ids = (source: string): string[] => [...source.matchAll(/^ {2}state "[^"]+" as (\S+)$/gmu)].map((match) => match[1]!);
  const edges = (source: string): [string, string, string][] =>
    [...source.matchAll(/^ {2}(\S+) --> (\S+?)(?:: (.*))?$/gmu)].map((match) => [match[1]!, match[2]!, match[3] ?? '']);

  it('are Mermaid state diagrams whose ids Mermaid accepts, every edge between declared states', () => {
    expect(diagram.startsWith('stateDiagram-v2\n')).toBe(true);
    const declared = new Set(['[*]', ...ids(diagram)]);
    for (const id of declared) expect(id).toMatch(/^(\[\*\]|[a-z_]+)$/u);
    for (const [from, to] of edges(diagram)) expect([declared.has(from), declared.has(to)]).toEqual([true, true]);
  });

  it('draw every row of the token transition table, and every token status', () => {
    const labels = edges(diagram).flatMap(([, , label]) => label.split(', ').map((part) => part.split(' (')[0]));
    for (const transition of tokenTransitions.filter((row) => row.subject === 'token')) expect(labels).toContain(transition.command);
    expect(ids(diagram).sort()).toEqual(tokenStatuses.map((status) => status.replaceAll('-', '_')).sort());
  });

  it('draw every order transition, and every order status, the final ones ending', () => {
    const orders = orderLifecycleDiagram();
    const drawn = edges(orders).map(([from, to, label]) => `${from} ${to} ${label}`);
    for (const transition of orderTransitions) {
      const from = transition.from === 'none' ? '[*]' : transition.from.replaceAll('-', '_');
      expect(drawn).toContainEqual(expect.stringMatching(new RegExp(`^${from.replace(/[[\]*]/gu, '\\$&')} ${transition.to.replaceAll('-', '_')} .*${transition.command}`, 'u')));
    }
    expect(ids(orders).sort()).toEqual(orderStatuses.map((status) => status.replaceAll('-', '_')).sort());
    expect(edges(orders).filter(([, to]) => to === '[*]').map(([from]) => from).sort()).toEqual(['deleted', 'executed', 'revoked']);
  });

  it('change when the table changes', () => {
    const without = tokenTransitions.filter((transition) => transition.command !== 'ResyncToken');
    expect(tokenLifecycleDiagram(without)).not.toBe(diagram);
    expect(tokenLifecycleDiagram(without)).not.toContain('ResyncToken');
  });

  it('merge the labels of commands that take the same edge', () => {
    expect(mermaidStateDiagram(['a-b'], [{ from: 'a-b', to: 'a-b', label: 'X' }, { from: 'a-b', to: 'a-b', label: 'Y' }, { from: 'a-b', to: 'a-b', label: 'X' }], ['a-b'])).toBe(
      'stateDiagram-v2\n  state "a-b" as a_b\n  a_b --> a_b: X, Y\n  a_b --> [*]',
    );
  });
});

describe('the error codes table', () => {
  const oneOfEach: readonly SdkError[] = [
    invalidCommand([{ path: 'x', message: 'y' }]),
    notFound('token', 'ST1'),
    forbidden('no'),
    invalidTransition('active', 'EnrollDevice'),
    quotaExhausted('acme'),
    preconditionFailed('user-active', 'inactive'),
    otpRequired(),
    otpRejected('replay'),
    tokenLocked('ST1'),
    activationCodeExpired('ST1'),
    registrationCodeInvalid('ST1'),
    concurrencyConflict('s', '1', 2),
    duplicateCommand('c'),
    idempotencyKeyReused('c'),
    infrastructure('down'),
  ];

  it('lists every error the SDK constructs, with the code it carries', () => {
    expect(Object.keys(errorCatalog).sort()).toEqual(oneOfEach.map((error) => error._tag).sort());
    for (const error of oneOfEach) expect(errorCatalog[error._tag].code).toBe(error.code);
  });

  it('gives each an HTTP status a client can act on', () => {
    for (const entry of Object.values(errorCatalog)) expect(entry.status >= 400 && entry.status < 600).toBe(true);
    expect(currentBlock(readme, 'error-codes')?.split('\n').length).toBe(2 + oneOfEach.length);
  });
});

describe('the defaults table', () => {
  const decodes = (key: string, value: unknown): boolean =>
    E.isRight(CompanyPolicyPatchCodec.decode(key in otpSettings ? { otp: { [key]: value } } : { [key]: value }));
  const documented: [string, SettingRange][] = [...Object.entries(otpSettings), ...Object.entries(policySettings)].map(([key, doc]) => [key, doc.range]);

  it('documents every policy setting and OTP parameter', () => {
    expect(Object.keys(otpSettings).sort()).toEqual(Object.keys(defaultCompanyPolicy.otp).sort());
    expect([...Object.keys(policySettings), 'otp'].sort()).toEqual(Object.keys(defaultCompanyPolicy).sort());
  });

  it.each(documented)('gives %s the range ConfigureCompany accepts', (key, range) => {
    if (range.kind === 'values') {
      for (const value of range.values) expect(decodes(key, value)).toBe(true);
      expect(decodes(key, typeof range.values[0] === 'boolean' ? 'yes' : 'something-else')).toBe(false);
    } else if (range.kind === 'per-action') {
      for (const action of range.actions) for (const value of range.values) expect(decodes(key, { [action]: value })).toBe(true);
      expect(decodes(key, { [range.actions[0] ?? '']: 'something-else' })).toBe(false);
    } else if (range.kind === 'subset') {
      expect([decodes(key, []), decodes(key, range.values)]).toEqual([true, true]);
      expect([decodes(key, ['something-else']), decodes(key, 'ApproveOrders')]).toEqual([false, false]);
    } else {
      expect([decodes(key, range.min), decodes(key, range.max)]).toEqual([true, true]);
      expect([decodes(key, range.min - 1), decodes(key, range.max + 1)]).toEqual([false, false]);
      expect(decodes(key, null)).toBe(range.nullable === true);
    }
  });

  it('shows the defaults the code has', () => {
    const table = defaultsTable({ ...defaultCompanyPolicy, maxFailures: 7, otp: { ...defaultCompanyPolicy.otp, digits: 8 } });
    expect(table).toContain('| `maxFailures` | `7` |');
    expect(table).toContain('| `otp.digits` | `8` |');
    expect(defaultsTable()).toContain('| `activationCodeTtlSeconds` | 3 days |');
  });
});
