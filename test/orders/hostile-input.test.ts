import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { GrantApproverCodec, RegisterServiceAgreementCodec, RevokeApproverCodec } from '../../src/domain/agreement/commands.js';
import { ApproveOrdersCodec, DeleteOrderCodec, MarkOrderExecutedCodec, RevokeOrdersCodec, UploadOrderCodec } from '../../src/domain/order/commands.js';
import { parseMoney } from '../../src/money/money.js';
import { isCurrencyCode } from '../../src/money/currencies.js';
import { emptyOrdersReadModel } from '../../src/projections/orders/read-model.js';
import { approveView, deleteView, revokeView, searchOrders } from '../../src/projections/orders/views.js';

const codecs = [UploadOrderCodec, DeleteOrderCodec, ApproveOrdersCodec, RevokeOrdersCodec, MarkOrderExecutedCodec, RegisterServiceAgreementCodec, GrantApproverCodec, RevokeApproverCodec];

// Random JSON, and objects shaped almost like the real thing.
const almost = fc.record(
  {
    type: fc.constantFrom('UploadOrder', 'ApproveOrders', 'DeleteOrder', 'RegisterServiceAgreement', 'x'),
    orderId: fc.oneof(fc.string(), fc.jsonValue()),
    orderIds: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
    companyId: fc.string(),
    serviceId: fc.string(),
    kind: fc.constantFrom('file', 'single', 'other'),
    reference: fc.string(),
    transactionCount: fc.oneof(fc.integer(), fc.double()),
    total: fc.oneof(fc.stringMatching(/^-?\d{0,25}(\.\d{0,6})?$/), fc.double()),
    currency: fc.oneof(fc.constantFrom('USD', 'JPY', 'KWD', 'usd'), fc.string()),
    approvalLevels: fc.integer({ min: -1, max: 6 }),
    userId: fc.string(),
    level: fc.jsonValue(),
    page: fc.jsonValue(),
    pageSize: fc.jsonValue(),
    status: fc.jsonValue(),
  },
  { requiredKeys: [] },
);
const input = fc.oneof(fc.jsonValue(), almost);

describe('hostile input', () => {
  it('command codecs never throw and every error has a context', () => {
    fc.assert(
      fc.property(input, (value) => {
        for (const codec of codecs) {
          const result = codec.decode(value);
          if (E.isLeft(result)) expect(result.left.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('views never throw: a bad query is an INVALID_COMMAND with paths', () => {
    fc.assert(
      fc.property(input, (value) => {
        for (const view of [searchOrders, deleteView, approveView, revokeView]) {
          const result = view(emptyOrdersReadModel, value);
          if (E.isLeft(result)) {
            expect(result.left.code).toBe('INVALID_COMMAND');
            expect(result.left._tag === 'InvalidCommand' && result.left.issues.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('parseMoney never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom('USD', 'JPY', 'KWD', 'CLF'), (text, currency) => {
        if (!isCurrencyCode(currency)) throw new Error('fixture');
        const result = parseMoney(text, currency);
        if (E.isRight(result)) expect(result.right.minor >= 0n).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
