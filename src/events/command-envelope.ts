import * as t from 'io-ts';
import { actorCodec, boundedString } from './codecs.js';

/** The identifier fields every command carries: at most 128 characters each. */
export const commandIdCodec = boundedString(128, 'CommandId');

/**
 * The fields every command has: `type`, `commandId` (the idempotency key), the `actor` who sends
 * it, and optionally the `correlationId` / `causationId` to record (both default to the commandId).
 * Command codecs intersect it: `t.intersection([commandEnvelopeCodec, t.type({ … })])`.
 */
export const commandEnvelopeCodec = t.intersection(
  [
    t.type({ type: t.string, commandId: commandIdCodec, actor: actorCodec }),
    t.partial({ correlationId: commandIdCodec, causationId: commandIdCodec }),
  ],
  'CommandEnvelope',
);

/** The decoded envelope of a command. */
export type CommandEnvelope = t.TypeOf<typeof commandEnvelopeCodec>;

/**
 * The codec of a command named `type`: the envelope, the `required` fields and the `optional` ones.
 * Every token and company command is written with it, so they all decode the same way.
 */
export const commandCodec = <Type extends string, P extends t.Props, O extends t.Props>(type: Type, required: P, optional: O) =>
  t.intersection([commandEnvelopeCodec, t.type({ type: t.literal(type), ...required }), t.partial(optional)], type);
