import * as t from 'io-ts';
import { RevokeApproverCodec } from '../../domain/agreement/commands.js';
import type { Directory } from '../../ports/directory.js';
import { commandEnvelopeCodec } from '../command-envelope.js';
import type { CommandHandler } from '../command-handler.js';
import type { AgreementOutput } from './agreement-handler.js';
import { agreementHandler } from './agreement-handler.js';

/** `RevokeApprover` with its command envelope. */
export const RevokeApproverCommandCodec = t.intersection([commandEnvelopeCodec, RevokeApproverCodec], 'RevokeApproverCommand');

/** `RevokeApprover`: the bank withdraws one level, or every level, from an approver. */
export const revokeApproverHandler = (directory: Directory): CommandHandler<t.TypeOf<typeof RevokeApproverCommandCodec>, AgreementOutput> =>
  agreementHandler(directory, 'RevokeApprover', RevokeApproverCommandCodec);
