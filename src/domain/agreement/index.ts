export type { ActorFacts } from './actor-facts.js';
export { actorFacts } from './actor-facts.js';
export type { AgreementCommand, GrantApprover, RegisterServiceAgreement, RevokeApprover } from './commands.js';
export { GrantApproverCodec, RegisterServiceAgreementCodec, RevokeApproverCodec } from './commands.js';
export type { AgreementFacts } from './decide.js';
export { agreementDecider, decideAgreement } from './decide.js';
export type { AgreementEvent, AgreementEventOf, AgreementEventType } from './events.js';
export { agreementEventCodecs } from './events.js';
export type { ApprovalLevel } from './ids.js';
export { agreementStreamId, ApprovalLevelCodec, EntityIdCodec, FingerprintCodec, MAX_APPROVAL_LEVELS, ServiceIdCodec } from './ids.js';
export type { AgreementState, RegisteredAgreement } from './state.js';
export { evolveAgreement, grantsOf, initialAgreementState, liveOrdersWith } from './state.js';
export type { AgreementOutput } from './handlers.js';
export {
  GrantApproverCommandCodec,
  grantApproverHandler,
  RegisterServiceAgreementCommandCodec,
  registerServiceAgreementHandler,
  RevokeApproverCommandCodec,
  revokeApproverHandler,
} from './handlers.js';
