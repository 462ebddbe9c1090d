/**
 * The README's generated sections, rendered from the code they describe: the lifecycles from
 * their transition tables, the error codes from the `SdkError` catalogue. `scripts/diagrams.ts`
 * writes them into the README; `test/docs` renders them again and fails when the README drifts.
 */
import { tokenSideTransitions, tokenTransitions, type ActorRule, type SideTransition, type TokenTransition } from '../src/index.js';
import { errorCatalog } from '../examples/http/errors.js';

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
  const states = ['pending', 'assigned', 'pending-activation', 'active', 'deleted'];
  const edges = [
    ...transitions
      .filter((transition) => transition.subject === 'token')
      .flatMap((transition) =>
        transition.from.map((from) => ({
          from,
          to: transition.to === 'same' ? from : transition.to,
          label: edgeLabel(transition),
        })),
      ),
    ...sides.flatMap((side) => side.from.map((from) => ({ from, to: side.to === 'same' ? from : side.to, label: `${side.event} (${side.kinds.join(', ')}, by ${side.cause})` }))),
  ];
  return mermaidStateDiagram(states, edges, ['deleted']);
};

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

const fenced = (language: string, body: string): string => `\`\`\`${language}\n${body}\n\`\`\``;

/** Every generated section of the README, in the order they appear. */
export const readmeBlocks = (): readonly ReadmeBlock[] => [
  { name: 'token-lifecycle', markdown: `${fenced('mermaid', tokenLifecycleDiagram())}\n\n${tokenCommandTable()}` },
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
