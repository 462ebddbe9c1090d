import type * as t from 'io-ts';
import { RevokeApproverCommandCodec } from '../../domain/agreement/commands.js';
import type { Directory } from '../../ports/directory.js';
import type { CommandHandler } from '../command-handler.js';
import type { AgreementOutput } from './agreement-handler.js';
import { agreementHandler } from './agreement-handler.js';

/** `RevokeApprover`: the bank withdraws one level, or every level, from an approver. */
export const revokeApproverHandler = (directory: Directory): CommandHandler<t.TypeOf<typeof RevokeApproverCommandCodec>, AgreementOutput> =>
  agreementHandler(directory, 'RevokeApprover', RevokeApproverCommandCodec);
