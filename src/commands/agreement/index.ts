export type { AgreementOutput } from './handlers.js';
export {
  GrantApproverCommandCodec,
  grantApproverHandler,
  RegisterServiceAgreementCommandCodec,
  registerServiceAgreementHandler,
  RevokeApproverCommandCodec,
  revokeApproverHandler,
} from './handlers.js';
