import type * as t from 'io-ts';
import { RegisterServiceAgreementCommandCodec } from '../../domain/agreement/commands.js';
import type { Directory } from '../../ports/directory.js';
import type { CommandHandler } from '../command-handler.js';
import type { AgreementOutput } from './agreement-handler.js';
import { agreementHandler } from './agreement-handler.js';

/** `RegisterServiceAgreement`: the bank registers (or amends) the approval levels of a company's service. */
export const registerServiceAgreementHandler = (directory: Directory): CommandHandler<t.TypeOf<typeof RegisterServiceAgreementCommandCodec>, AgreementOutput> =>
  agreementHandler(directory, 'RegisterServiceAgreement', RegisterServiceAgreementCommandCodec);
