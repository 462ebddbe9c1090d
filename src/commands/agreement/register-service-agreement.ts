import * as t from 'io-ts';
import { RegisterServiceAgreementCodec } from '../../domain/agreement/commands.js';
import type { Directory } from '../../ports/directory.js';
import { commandEnvelopeCodec } from '../command-envelope.js';
import type { CommandHandler } from '../command-handler.js';
import type { AgreementOutput } from './agreement-handler.js';
import { agreementHandler } from './agreement-handler.js';

/** `RegisterServiceAgreement` with its command envelope. */
export const RegisterServiceAgreementCommandCodec = t.intersection([commandEnvelopeCodec, RegisterServiceAgreementCodec], 'RegisterServiceAgreementCommand');

/** `RegisterServiceAgreement`: the bank registers (or amends) the approval levels of a company's service. */
export const registerServiceAgreementHandler = (directory: Directory): CommandHandler<t.TypeOf<typeof RegisterServiceAgreementCommandCodec>, AgreementOutput> =>
  agreementHandler(directory, 'RegisterServiceAgreement', RegisterServiceAgreementCommandCodec);
