import { defineEvent } from '../../events/event-registry.js';
import { agreementEventCodecs } from '../agreement/events.js';
import { orderEventCodecs } from './events.js';

/** Every order and agreement event type with its codec, for the event registry (all at schema version 1). */
export const ordersEventDefinitions = [
  defineEvent({ type: 'ServiceAgreementRegistered', codec: agreementEventCodecs.ServiceAgreementRegistered }),
  defineEvent({ type: 'ApprovalLevelsChanged', codec: agreementEventCodecs.ApprovalLevelsChanged }),
  defineEvent({ type: 'ApproverGranted', codec: agreementEventCodecs.ApproverGranted }),
  defineEvent({ type: 'ApproverRevoked', codec: agreementEventCodecs.ApproverRevoked }),
  defineEvent({ type: 'OrderFingerprintRecorded', codec: agreementEventCodecs.OrderFingerprintRecorded }),
  defineEvent({ type: 'OrderFingerprintReleased', codec: agreementEventCodecs.OrderFingerprintReleased }),
  defineEvent({ type: 'OrderUploaded', codec: orderEventCodecs.OrderUploaded }),
  defineEvent({ type: 'OrderLevelApproved', codec: orderEventCodecs.OrderLevelApproved }),
  defineEvent({ type: 'OrderApproved', codec: orderEventCodecs.OrderApproved }),
  defineEvent({ type: 'OrderDeleted', codec: orderEventCodecs.OrderDeleted }),
  defineEvent({ type: 'OrderRevoked', codec: orderEventCodecs.OrderRevoked }),
  defineEvent({ type: 'OrderExecuted', codec: orderEventCodecs.OrderExecuted }),
] as const;
