import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { canonicalJson } from '../../events/canonical-json.js';
import { formatMoney, parseMoney } from '../../money/money.js';
import type { CurrencyCode } from '../../money/currencies.js';

/** What makes two uploads "the same content" for the possible-duplicate flag. */
export interface OrderContent {
  readonly kind: 'file' | 'single';
  readonly reference: string;
  readonly transactionCount: number;
  /** Canonical decimal string (exact minor-unit digits), so `"10.5"` and `"10.50"` agree. */
  readonly total: string;
  readonly currency: string;
}

/**
 * The content fingerprint: SHA-256 over the canonical JSON of kind, reference, transaction count,
 * total and currency. The reference is compared trimmed, Unicode-normalised (NFC) and case-folded, so
 * `PAGOS_ENERO.TXT` uploaded again as `pagos_enero.txt` is still flagged; a false flag costs a glance,
 * a missed one a double payment.
 */
export const orderFingerprint = (content: OrderContent): string =>
  bytesToHex(
    sha256(
      utf8ToBytes(
        canonicalJson({
          kind: content.kind,
          reference: content.reference.trim().normalize('NFC').toLowerCase(),
          transactionCount: content.transactionCount,
          total: content.total,
          currency: content.currency,
        }),
      ),
    ),
  );

/**
 * The fingerprint of an upload as typed (its total made canonical first), or undefined when its total
 * does not parse in its currency (the upload is then refused by `decide`). The shell needs it before
 * deciding, to load the duplicate index of that content.
 */
export const uploadFingerprint = (upload: Omit<OrderContent, 'currency'> & { readonly currency: CurrencyCode }): string | undefined => {
  return pipe(
    parseMoney(upload.total, upload.currency),
    E.match(
      () => undefined,
      (money) => orderFingerprint({ ...upload, total: formatMoney(money) }),
    ),
  );
};
