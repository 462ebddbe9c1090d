import type { OrderStatus } from './status.js';
import { orderStatuses } from './status.js';

/** The commands that move an order. */
export type OrderCommandType = 'UploadOrder' | 'DeleteOrder' | 'ApproveOrders' | 'RevokeOrders' | 'MarkOrderExecuted';

/** An order's status, or `none` before it is uploaded. */
export type OrderStatusOrNone = OrderStatus | 'none';

/**
 * One allowed move. `when` tells apart the two outcomes of an approval: a level that leaves more to
 * approve keeps the order `pending-approval`, the last level approves it.
 */
export interface OrderTransition {
  readonly from: OrderStatusOrNone;
  readonly command: OrderCommandType;
  readonly to: OrderStatus;
  readonly when?: 'levels remain' | 'last level';
}

/**
 * Every move an order can make, as data: `decide` refuses any (status, command) pair not listed here
 * with an invalid-transition error naming both, and docs and diagrams are drawn from the same list.
 */
export const orderTransitions: readonly OrderTransition[] = Object.freeze([
  { from: 'none', command: 'UploadOrder', to: 'pending-approval' },
  { from: 'pending-approval', command: 'DeleteOrder', to: 'deleted' },
  { from: 'pending-approval', command: 'ApproveOrders', to: 'pending-approval', when: 'levels remain' },
  { from: 'pending-approval', command: 'ApproveOrders', to: 'approved', when: 'last level' },
  { from: 'approved', command: 'RevokeOrders', to: 'revoked' },
  { from: 'approved', command: 'MarkOrderExecuted', to: 'executed' },
]);

/** The moves `command` may make from `from` (empty when it may not act there). */
export const transitionsFrom = (from: OrderStatusOrNone, command: OrderCommandType): readonly OrderTransition[] =>
  orderTransitions.filter((transition) => transition.from === from && transition.command === command);

/** The transition table as a Mermaid state diagram, for the docs. */
export const orderTransitionDiagram = (): string =>
  [
    'stateDiagram-v2',
    // Mermaid reads a dash as part of an arrow: each status is declared under an id without one.
    ...orderStatuses.map((status) => `  state "${status}" as ${mermaidId(status)}`),
    ...orderTransitions.map(
      (transition) =>
        `  ${transition.from === 'none' ? '[*]' : mermaidId(transition.from)} --> ${mermaidId(transition.to)}: ${transition.command}${transition.when === undefined ? '' : ` (${transition.when})`}`,
    ),
    ...orderStatuses.filter((status) => !orderTransitions.some((transition) => transition.from === status)).map((status) => `  ${mermaidId(status)} --> [*]`),
  ].join('\n');

const mermaidId = (status: string): string => status.replaceAll('-', '_');
