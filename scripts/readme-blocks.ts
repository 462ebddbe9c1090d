/**
 * The README's generated sections, rendered from the code they describe: the lifecycles from
 * their transition tables, the error codes from the `SdkError` catalogue. `scripts/diagrams.ts`
 * writes them into the README; `test/docs` renders them again and fails when the README drifts.
 */
import { defaultCompanyPolicy, TIMED_UNLOCKS_PER_DAY, type CompanyPolicy, type OtpParameters } from '../src/index.js';
import { orderStatuses } from '../src/domain/order/status.js';
import { orderTransitions, type OrderTransition } from '../src/domain/order/transitions.js';
import { targetOf, tokenSideTransitions, tokenTransitions, type ActorRule, type SideTransition, type TokenTransition } from '../src/domain/token/transitions.js';
import { tokenStatuses } from '../src/domain/token/status.js';
import { errorCatalog } from '../examples/http/errors.js';
import { appConfirmableCommands, ConfirmationFactorCodec, EnrolmentActionCodec } from '../src/domain/company/policy.js';

/** A generated section: its name in the marker comments and its Markdown. */
export interface ReadmeBlock {
  readonly name: string;
  readonly markdown: string;
}

/** A Mermaid state id for a state name: Mermaid ids may not contain dashes; the label keeps the name. */
const stateId = (state: string): string => (state === 'none' ? '[*]' : state.replaceAll('-', '_'));

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly labels: string[];
}

/** `stateDiagram-v2` source: states declared with their names as labels, edges with the commands that take them. */
export const mermaidStateDiagram = (states: readonly string[], edges: readonly { readonly from: string; readonly to: string; readonly label: string }[], finals: readonly string[]): string => {
  const merged: Edge[] = [];
  for (const edge of edges) {
    const existing = merged.find((candidate) => candidate.from === edge.from && candidate.to === edge.to);
    if (existing === undefined) merged.push({ from: edge.from, to: edge.to, labels: [edge.label] });
    else if (!existing.labels.includes(edge.label)) existing.labels.push(edge.label);
  }
  return [
    'stateDiagram-v2',
    ...states.map((state) => `  state "${state}" as ${stateId(state)}`),
    ...merged.map((edge) => `  ${stateId(edge.from)} --> ${stateId(edge.to)}: ${edge.labels.join(', ')}`),
    ...finals.map((state) => `  ${stateId(state)} --> [*]`),
  ].join('\n');
};

/** A command as an edge label: `(OTP)` when the OTP rule applies, plus the kinds and lock it needs when they narrow it. */
const edgeLabel = (transition: TokenTransition): string => {
  const notes = [
    ...(transition.otpRule ? ['OTP'] : []),
    ...(transition.kinds.length === 1 && transition.kinds[0] === 'physical' ? ['physical'] : []),
    ...(transition.locked === 'locked' ? ['when locked'] : []),
  ];
  return notes.length === 0 ? transition.command : `${transition.command} (${notes.join(', ')})`;
};

/** The soft-token lifecycle as a Mermaid diagram, from `tokenTransitionTable` and `tokenSideTransitions`. */
export const tokenLifecycleDiagram = (transitions: readonly TokenTransition[] = tokenTransitions, sides: readonly SideTransition[] = tokenSideTransitions): string => {
  const states: readonly string[] = tokenStatuses;
  const edges = [
    ...transitions
      .filter((transition) => transition.subject === 'token')
      .flatMap((transition) =>
        transition.from.map((from) => ({
          from,
          to: from === 'none' ? (transition.to === 'same' ? from : transition.to) : targetOf(transition, from),
          label: edgeLabel(transition),
        })),
      ),
    ...sides.flatMap((side) => side.from.map((from) => ({ from, to: side.to === 'same' ? from : side.to, label: `${side.event} (${side.kinds.join(', ')}, by ${side.cause})` }))),
  ];
  return mermaidStateDiagram(states, edges, ['deleted', 'disabled']);
};

/** The order lifecycle as a Mermaid diagram, from `orderTransitions`; the final states end in `[*]`. */
export const orderLifecycleDiagram = (transitions: readonly OrderTransition[] = orderTransitions): string =>
  mermaidStateDiagram(
    orderStatuses,
    transitions.map((transition) => ({ from: transition.from, to: transition.to, label: transition.when === undefined ? transition.command : `${transition.command} (${transition.when})` })),
    orderStatuses.filter((status) => !transitions.some((transition) => transition.from === status)),
  );

/** The order transitions as a Markdown table, from `orderTransitions`. */
export const orderTransitionTable = (transitions: readonly OrderTransition[] = orderTransitions): string =>
  [
    '| from | command | to | when |',
    '|---|---|---|---|',
    ...transitions.map((transition) => `| ${transition.from === 'none' ? '(new)' : transition.from} | \`${transition.command}\` | ${transition.to} | ${transition.when ?? '—'} |`),
  ].join('\n');

const actorText = (rule: ActorRule): string => {
  if (rule.when === undefined) return rule.role;
  const [[setting, value] = ['', '']] = Object.entries(rule.when);
  return `${rule.role} (${setting}: ${value})`;
};

const cell = (text: string): string => text.replaceAll('|', '\\|');

/** The soft-token commands as a Markdown table, from `tokenTransitionTable`. */
export const tokenCommandTable = (transitions: readonly TokenTransition[] = tokenTransitions): string =>
  [
    '| command | from | to | who | OTP rule | rule |',
    '|---|---|---|---|---|---|',
    ...transitions.map((transition) =>
      [
        `\`${transition.command}\``,
        transition.from.length === 0 ? '—' : transition.from.map((from) => (from === 'none' ? '(new)' : from)).join(', '),
        transition.to === 'same' ? '(unchanged)' : transition.to,
        transition.actors.map(actorText).join(', '),
        transition.otpRule ? 'yes' : 'no',
        cell(transition.rule),
      ].join(' | '),
    ).map((row) => `| ${row} |`),
  ].join('\n');

/** The error codes as a Markdown table, from the catalogue the example service maps to HTTP. */
export const errorCodeTable = (): string =>
  [
    '| code | `_tag` | when | HTTP status in the example service |',
    '|---|---|---|---|',
    ...Object.entries(errorCatalog).map(([tag, entry]) => `| \`${entry.code}\` | \`${tag}\` | ${cell(entry.when)} | ${entry.status} |`),
  ].join('\n');

/** What a setting may be: one of some values, or a whole number between two bounds (`null` too, when `nullable`). */
export type SettingRange =
  | { readonly kind: 'values'; readonly values: readonly (string | boolean)[] }
  | { readonly kind: 'between'; readonly min: number; readonly max: number; readonly unit?: 'seconds'; readonly nullable?: true }
  | { readonly kind: 'subset'; readonly values: readonly string[] }
  | { readonly kind: 'per-action'; readonly actions: readonly string[]; readonly values: readonly string[] };

/** A setting's meaning and range, as the README's defaults table shows it. */
export interface SettingDoc {
  readonly meaning: string;
  readonly range: SettingRange;
}

const values = (...allowed: readonly (string | boolean)[]): SettingRange => ({ kind: 'values', values: allowed });
const between = (min: number, max: number, extra: { readonly unit?: 'seconds'; readonly nullable?: true } = {}): SettingRange => ({ kind: 'between', min, max, ...extra });

/** What each OTP parameter means and may be (the defaults come from `defaultCompanyPolicy`; a test checks the ranges against the codec). */
export const otpSettings: { readonly [Key in keyof OtpParameters]: SettingDoc } = {
  mode: { meaning: 'time-based (RFC 6238) or counter-based (RFC 4226) codes', range: values('totp', 'hotp') },
  algorithm: { meaning: 'the HMAC hash', range: values('SHA1', 'SHA256', 'SHA512') },
  digits: { meaning: 'digits per code', range: between(6, 8) },
  period: { meaning: 'TOTP time step', range: between(1, 3600, { unit: 'seconds' }) },
  past: { meaning: 'TOTP steps accepted behind the current one', range: between(0, 100) },
  future: { meaning: 'TOTP steps accepted ahead of it', range: between(0, 100) },
  lookAhead: { meaning: 'HOTP counters searched ahead of the expected one', range: between(0, 1000) },
};

/** What each company policy setting means and may be. */
export const policySettings: { readonly [Key in Exclude<keyof CompanyPolicy, 'otp'>]: SettingDoc } = {
  assignmentConfirmation: { meaning: 'a company admin confirms each assignment with an OTP, or tokens are assigned at once', range: values('admin-otp', 'none') },
  activation: { meaning: 'a company admin activates (OTP rule), or the user answers the security question', range: values('admin', 'security-question') },
  maxFailures: { meaning: 'consecutive OTP failures that lock a token (with the window, the digits and the timed unlock, within the guessing bound below)', range: between(1, 100) },
  timedUnlockSeconds: { meaning: `a locked token unlocks by itself after this long, at most ${String(TIMED_UNLOCKS_PER_DAY)} times in any 24 hours; \`null\`: only an unlock command reopens it`, range: between(60, 2_592_000, { unit: 'seconds', nullable: true }) },
  makerChecker: { meaning: 'an uploader may not approve their own order', range: values(true, false) },
  activationCodeTtlSeconds: { meaning: 'how long an activation code stays usable', range: between(60, 2_592_000, { unit: 'seconds' }) },
  registrationAttempts: { meaning: 'wrong registration codes (or security answers) before the activation code is void', range: between(1, 20) },
  requireEnrolment: {
    meaning: 'actions refused (`PRECONDITION_FAILED`, precondition `enrolled`) to a user with no active token; `[]`: the normal flow, where such a user acts without a code',
    range: { kind: 'subset', values: Object.keys(EnrolmentActionCodec.keys) },
  },
  reactivationBy: {
    meaning: 'who may start ReactivateToken (a new phone, same token): the owner confirming with a code of the old phone (or a recovery code while lost), a company admin with their own code, the bank',
    range: { kind: 'subset', values: ['owner', 'admin', 'bank'] },
  },
  recoveryCodeCount: { meaning: 'one-time recovery codes ReportTokenLost sends (through the delivery port) when asked for them', range: between(1, 20) },
  recoveryCodeTtlSeconds: { meaning: 'how long recovery codes work', range: between(3600, 7_776_000, { unit: 'seconds' }) },
  emergencyCodeTtlSeconds: { meaning: 'how long an emergency code (a single one-time code) works', range: between(600, 604_800, { unit: 'seconds' }) },
  confirmationFactors: {
    meaning: 'per action, the factors that confirm it: `code` (typed), `app` (a signature of the token\'s app, protocol v2), `either`; an action left out takes either',
    range: { kind: 'per-action', actions: [...appConfirmableCommands], values: Object.keys(ConfirmationFactorCodec.keys) },
  },
};

const duration = (seconds: number): string =>
  seconds % 86_400 === 0 ? `${seconds / 86_400} ${seconds === 86_400 ? 'day' : 'days'}` : seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds} s`;

const rangeText = (range: SettingRange): string => {
  if (range.kind === 'values') return range.values.map((value) => `\`${String(value)}\``).join(', ');
  if (range.kind === 'per-action') return `per action of ${range.actions.map((value) => `\`${value}\``).join(', ')}: one of ${range.values.map((value) => `\`${value}\``).join(', ')}`;
  if (range.kind === 'subset') return `a list of any of ${range.values.map((value) => `\`${value}\``).join(', ')}`;
  const bounds = range.unit === 'seconds' ? `${duration(range.min)} to ${duration(range.max)}` : `${range.min} to ${range.max}`;
  return range.nullable === true ? `\`null\`, ${bounds}` : bounds;
};

const valueText = (value: unknown, range: SettingRange): string =>
  typeof value === 'number' && range.kind === 'between' && range.unit === 'seconds' ? duration(value) : `\`${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}\``;

/** The defaults of the OTP parameters and the company policy, from `defaultCompanyPolicy`. */
export const defaultsTable = (policy: CompanyPolicy = defaultCompanyPolicy): string =>
  [
    '| setting (`ConfigureCompany.policy`) | default | allowed | meaning |',
    '|---|---|---|---|',
    ...Object.entries(otpSettings).map(([key, setting]) => `| \`otp.${key}\` | ${valueText(policy.otp[key as keyof OtpParameters], setting.range)} | ${rangeText(setting.range)} | ${setting.meaning} |`),
    ...Object.entries(policySettings).map(
      ([key, setting]) => `| \`${key}\` | ${valueText(policy[key as keyof typeof policySettings], setting.range)} | ${rangeText(setting.range)} | ${setting.meaning} |`,
    ),
  ].join('\n');

const fenced = (language: string, body: string): string => `\`\`\`${language}\n${body}\n\`\`\``;

/** Every generated section of the README, in the order they appear. */
export const readmeBlocks = (): readonly ReadmeBlock[] => [
  { name: 'token-lifecycle', markdown: `${fenced('mermaid', tokenLifecycleDiagram())}\n\n${tokenCommandTable()}` },
  { name: 'order-lifecycle', markdown: `${fenced('mermaid', orderLifecycleDiagram())}\n\n${orderTransitionTable()}` },
  { name: 'defaults', markdown: defaultsTable() },
  { name: 'error-codes', markdown: errorCodeTable() },
];

/** The marker comments around a generated section. */
export const markers = (name: string): { readonly start: string; readonly end: string } => ({
  start: `<!-- generated:${name} (npm run docs:diagrams) -->`,
  end: `<!-- /generated:${name} -->`,
});

/** The README with each block written between its markers; a block whose markers are missing is an error naming it. */
export const rewriteReadme = (readme: string, blocks: readonly ReadmeBlock[]): { readonly text: string; readonly missing: readonly string[] } => {
  let text = readme;
  const missing: string[] = [];
  for (const block of blocks) {
    const { start, end } = markers(block.name);
    const from = text.indexOf(start);
    const to = text.indexOf(end, from);
    if (from === -1 || to === -1) {
      missing.push(block.name);
      continue;
    }
    text = `${text.slice(0, from + start.length)}\n${block.markdown}\n${text.slice(to)}`;
  }
  return { text, missing };
};

/** What stands between a block's markers in the README now (undefined without markers). */
export const currentBlock = (readme: string, name: string): string | undefined => {
  const { start, end } = markers(name);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from);
  return from === -1 || to === -1 ? undefined : readme.slice(from + start.length, to).replace(/^\n/u, '').replace(/\n$/u, '');
};
