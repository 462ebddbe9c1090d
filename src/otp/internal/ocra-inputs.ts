/**
 * The data inputs of one OCRA computation, read from an options bag of unknown shape: shared by
 * the generator (which throws on a bad one) and the verifier (which answers `invalid-options`).
 */
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { Fields } from './options.js';
import type { OcraMessage } from './ocra-message.js';
import { layOutMessage, passwordField, questionField, sessionField } from './ocra-message.js';
import type { OcraSuite } from './ocra-suite.js';

/** Checks that the counter and the time are given exactly when the suite has them. */
const presence = (suite: OcraSuite, fields: Fields): string | undefined => {
  if (suite.counter && fields.counter === undefined) return 'counter: the suite has a C data input: give the counter';
  if (!suite.counter && fields.counter !== undefined) return 'counter: the suite has no C data input';
  const timed = suite.timeStepSeconds !== undefined;
  if (timed && fields.timeMs === undefined) return 'timeMs: the suite has a T data input: give the time';
  if (!timed && fields.timeMs !== undefined) return 'timeMs: the suite has no T data input';
  return undefined;
};

/** The message of `fields` under `suite`, with counter and time still to be written. */
export const messageOf = (suite: OcraSuite, fields: Fields): Either<string, OcraMessage> => {
  const missing = presence(suite, fields);
  if (missing !== undefined) return left(missing);
  const question = questionField(suite, fields.question);
  if (question._tag === 'Left') return question;
  const password = passwordField(suite, fields.password, fields.passwordHash);
  if (password._tag === 'Left') return password;
  const session = sessionField(suite, fields.session);
  if (session._tag === 'Left') return session;
  return right(layOutMessage(suite, question.right, password.right, session.right));
};
