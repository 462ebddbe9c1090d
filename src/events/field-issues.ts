import type * as t from 'io-ts';
import type { FieldIssue } from '../errors/sdk-error.js';

/** Combinators whose context keys are branch numbers, not fields of the value. */
const BRANCHING = new Set(['UnionType', 'IntersectionType']);

const tagOf = (decoder: t.Decoder<unknown, unknown>): string | undefined => (decoder as { readonly _tag?: unknown })._tag as string | undefined;

/** The dotted path of a validation error: field names and array indexes, without union/intersection branches. */
export const pathOf = (context: t.Context): string => {
  const segments: string[] = [];
  for (let index = 1; index < context.length; index++) {
    const parent = context[index - 1] as t.ContextEntry;
    const entry = context[index] as t.ContextEntry;
    if (entry.key === '' || BRANCHING.has(tagOf(parent.type) ?? '')) continue;
    segments.push(entry.key);
  }
  return segments.join('.');
};

/** Whether `path` is a secret path or lies under one; `*` in a secret path matches any one segment. */
export const isSecretPath = (path: string, secretPaths: readonly string[]): boolean => {
  const segments = path.split('.');
  return secretPaths.some((secret) => {
    const pattern = secret.split('.');
    return pattern.length <= segments.length && pattern.every((part, index) => part === '*' || part === segments[index]);
  });
};

/** How many issues an error lists at most: enough to fix a command, not a flood. */
const MAX_ISSUES = 20;

/**
 * Turns io-ts validation errors into field issues: the path and what was expected there, merged
 * per path. The supplied value is never part of the message (io-ts's PathReporter prints it), and
 * on secret paths neither is a codec's custom message, which might quote it.
 */
export const validationIssues = (errors: t.Errors, secretPaths: readonly string[] = []): readonly FieldIssue[] => {
  const expectations = new Map<string, string[]>();
  for (const error of errors) {
    const path = pathOf(error.context);
    const last = error.context[error.context.length - 1];
    const secret = isSecretPath(path, secretPaths);
    const described =
      error.message !== undefined && !secret
        ? error.message
        : `${last?.actual === undefined ? 'required: ' : ''}expected ${last?.type.name ?? 'a valid value'}`;
    const list = expectations.get(path) ?? [];
    if (!list.includes(described)) list.push(described);
    expectations.set(path, list);
  }
  return [...expectations.entries()].slice(0, MAX_ISSUES).map(([path, messages]) => ({ path, message: messages.join(' or ') }));
};
