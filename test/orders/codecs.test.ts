import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { ApprovalLevelCodec, EntityIdCodec, FingerprintCodec, ServiceIdCodec } from '../../src/domain/agreement/ids.js';
import { OrderIdsCodec, ReferenceCodec, TransactionCountCodec, UploadOrderCodec } from '../../src/domain/order/commands.js';
import { OrderStatusCodec } from '../../src/domain/order/status.js';
import { CurrencyCodeCodec, DecimalStringCodec } from '../../src/money/codecs.js';

const cases: readonly [string, t.Mixed, readonly unknown[], readonly unknown[]][] = [
  ['EntityId', EntityIdCodec, ['ACME', 'u-1'], ['', ' x', 1]],
  ['ServiceId', ServiceIdCodec, ['PAGOS', 'N.1'], ['A-B', '', null]],
  ['ApprovalLevel', ApprovalLevelCodec, [1, 4], [0, 5, '1']],
  ['Fingerprint', FingerprintCodec, ['0'.repeat(64)], ['0'.repeat(63), 'G'.repeat(64)]],
  ['OrderStatus', OrderStatusCodec, ['approved', 'revoked'], ['APPROVED', 'none', 1]],
  ['Reference', ReferenceCodec, ['pagos.txt', 'Pago ñ 1'], ['', '  ', 'x'.repeat(256), 'a\tb']],
  ['TransactionCount', TransactionCountCodec, [1, 10_000_000], [0, 10_000_001, 1.5, '3']],
  ['OrderIds', OrderIdsCodec, [['a'], ['a', 'b']], [[], ['a', 'a'], 'a']],
  ['CurrencyCode', CurrencyCodeCodec, ['USD', 'KWD'], ['usd', 'XAU']],
  ['DecimalString', DecimalStringCodec, ['0', '1234.50'], ['-1', 1.5]],
];

describe('codecs', () => {
  it.each(cases)('%s: is() agrees with decode(), and encode() gives the value back', (_name, codec, good, bad) => {
    for (const value of good) {
      expect(E.isRight(codec.decode(value))).toBe(true);
      expect(codec.is(value)).toBe(true);
      expect(codec.encode(value)).toEqual(value);
    }
    for (const value of bad) {
      expect(E.isLeft(codec.decode(value))).toBe(true);
      expect(codec.is(value)).toBe(false);
    }
  });

  it('UploadOrder encodes to the same plain object', () => {
    const command = { type: 'UploadOrder', orderId: 'o1', companyId: 'ACME', serviceId: 'P', kind: 'single', reference: 'r', transactionCount: 1, total: '1', currency: 'JPY' };
    const decoded = UploadOrderCodec.decode(command);
    expect(E.isRight(decoded) && UploadOrderCodec.encode(decoded.right)).toEqual(command);
  });
});
