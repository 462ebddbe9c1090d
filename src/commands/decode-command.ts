import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { invalidCommand } from '../errors/sdk-error.js';
import type { FieldIssue, SdkError } from '../errors/sdk-error.js';
import { validationIssues } from '../events/field-issues.js';
import type { AnyCommandHandler } from './command-handler.js';
import type { CommandEnvelope } from '../events/command-envelope.js';
import { commandEnvelopeCodec } from '../events/command-envelope.js';

/** A command that passed its codec, with the handler that takes it. */
export interface DecodedCommand {
  readonly handler: AnyCommandHandler;
  readonly envelope: CommandEnvelope;
  readonly command: unknown;
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Finds the handler of a command by its `type` and decodes the command with it and with the
 * common envelope. Errors name field paths and what was expected, never a supplied value.
 */
export const decodeCommand = (handlers: ReadonlyMap<string, AnyCommandHandler>, input: unknown): Either<SdkError, DecodedCommand> => {
  const known = [...handlers.keys()].join(', ');
  if (!isRecord(input)) return left(invalidCommand([{ path: 'type', message: `a command is an object with a type, one of: ${known}` }]));
  const type = input.type;
  const handler = typeof type === 'string' ? handlers.get(type) : undefined;
  if (handler === undefined) {
    return left(invalidCommand([{ path: 'type', message: `${type === undefined ? 'required: ' : ''}expected one of: ${known}` }]));
  }
  const secrets = handler.secretFields ?? [];
  const envelope = commandEnvelopeCodec.decode(input);
  const command = handler.codec.decode(input);
  if (envelope._tag === 'Right' && command._tag === 'Right') return right({ handler, envelope: envelope.right, command: command.right });
  const issues: FieldIssue[] = [];
  for (const issue of [
    ...(envelope._tag === 'Left' ? validationIssues(envelope.left, secrets) : []),
    ...(command._tag === 'Left' ? validationIssues(command.left, secrets) : []),
  ]) {
    if (!issues.some((seen) => seen.path === issue.path)) issues.push(issue);
  }
  return left(invalidCommand(issues));
};
