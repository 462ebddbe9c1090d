/**
 * ISO 20022 customer credit transfer initiation (`pain.001.001.03` and `pain.001.001.09`) read into an
 * order's payments. A streaming parser (saxes: no DTD, no entity expansion, no external fetches) is
 * fed the file in chunks and stopped at the first sign of hostility: a DOCTYPE (entity bombs and
 * external entities both need one), nesting deeper than any pain.001, a foreign namespace, an
 * oversized file, text or transaction count. Only what an order needs is kept. See
 * docs/dynamic-linking.md ("Payment files") for the mapping and the limits.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { SaxesParser } from 'saxes';
import type { SaxesTagNS } from 'saxes';
import * as t from 'io-ts';
import type { FieldIssue, SdkError } from '../../errors/sdk-error.js';
import { invalidCommand } from '../../errors/sdk-error.js';
import { validationIssues } from '../../events/field-issues.js';
import type { Payment } from './payments.js';
import { MAX_PAYMENTS_PER_ORDER, PaymentCodec } from './payments.js';

/** The namespaces read, by version. */
export const PAIN001_NAMESPACES = {
  'pain.001.001.03': 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03',
  'pain.001.001.09': 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09',
} as const;

/** A pain.001 version this SDK reads. */
export type Pain001Version = keyof typeof PAIN001_NAMESPACES;

/** The largest file read: 10,000 transactions of a verbose bank fit in a quarter of it. */
export const MAX_PAIN001_BYTES = 16 * 1024 * 1024;

/** The deepest element nesting read (a pain.001.001.09 transaction with a structured address is about 10 deep). */
export const MAX_PAIN001_DEPTH = 24;

/** The longest text of one element (the schema's longest is `Max2048Text`). */
export const MAX_PAIN001_TEXT = 2048;

/** A payment file read: its header, and its payments in file order. */
export interface Pain001File {
  readonly version: Pain001Version;
  /** `GrpHdr/MsgId`: the file's own reference. */
  readonly messageId: string;
  /** `GrpHdr/NbOfTxs`, checked against the transactions. */
  readonly numberOfTransactions: number;
  /** `GrpHdr/CtrlSum` when present, checked against the amounts. */
  readonly controlSum?: string;
  readonly payments: readonly Payment[];
}

/** Thrown inside the parser's handlers to stop it; never leaves this file. */
class Refusal extends Error {
  constructor(readonly issue: FieldIssue) {
    super(issue.message);
  }
}

const refuse = (path: string, message: string): never => {
  throw new Refusal({ path, message });
};

interface Draft {
  payeeName?: string;
  iban?: string;
  other?: string;
  bank?: string;
  amount?: string;
  currency?: string;
  endToEndId?: string;
  remittance?: string;
  line: number;
}

interface Totals {
  count?: string;
  sum?: string;
}

const TX = 'CdtTrfTxInf';

/** The payment of a transaction, in the shape `PaymentCodec` checks. */
const paymentOf = (draft: Draft): Record<string, unknown> => ({
  payeeName: draft.payeeName,
  account: draft.iban ?? draft.other,
  ...(draft.bank === undefined ? {} : { bank: draft.bank }),
  amount: draft.amount,
  currency: draft.currency,
  reference: draft.remittance ?? (draft.endToEndId === undefined || draft.endToEndId === 'NOTPROVIDED' ? '' : draft.endToEndId),
});

/** Where, below a transaction, each field of the payment is read from (both versions; `BIC` in .03, `BICFI` in .09). */
const transactionFields: Readonly<Record<string, (draft: Draft, text: string) => void>> = {
  'Cdtr/Nm': (draft, text) => (draft.payeeName = text),
  'CdtrAcct/Id/IBAN': (draft, text) => (draft.iban = text),
  'CdtrAcct/Id/Othr/Id': (draft, text) => (draft.other = text),
  'CdtrAgt/FinInstnId/BIC': (draft, text) => (draft.bank = text),
  'CdtrAgt/FinInstnId/BICFI': (draft, text) => (draft.bank = text),
  'CdtrAgt/FinInstnId/ClrSysMmbId/MmbId': (draft, text) => (draft.bank ??= text),
  'Amt/InstdAmt': (draft, text) => (draft.amount = text),
  'PmtId/EndToEndId': (draft, text) => (draft.endToEndId = text),
  // The first unstructured line is the reference the payee sees.
  'RmtInf/Ustrd': (draft, text) => (draft.remittance ??= text),
};

const DECIMAL = /^(0|[1-9][0-9]{0,17})(?:\.([0-9]{1,17}))?$/;

/** A decimal string as an integer count of 10^-17 units, or undefined when it is not one. */
const scaled = (text: string): bigint | undefined => {
  const match = DECIMAL.exec(text);
  return match === null ? undefined : BigInt((match[1] ?? '0') + (match[2] ?? '').padEnd(17, '0'));
};

/** The control figures of a group (the file or one payment information block) against what it holds. */
const controlIssues = (path: string, totals: Totals, count: number, sum: bigint): readonly FieldIssue[] => {
  const issues: FieldIssue[] = [];
  if (totals.count !== undefined && totals.count !== String(count)) issues.push({ path: `${path}.NbOfTxs`, message: `declares ${totals.count} transactions, the file holds ${count}` });
  if (totals.sum !== undefined) {
    const declared = scaled(totals.sum);
    if (declared === undefined) issues.push({ path: `${path}.CtrlSum`, message: 'must be a decimal number' });
    else if (declared !== sum) issues.push({ path: `${path}.CtrlSum`, message: 'does not equal the sum of the transactions\' amounts' });
  }
  return issues;
};

// A string's UTF-8 form is at least as long as its UTF-16 length: its length bounds it without encoding it.
const sizeOf = (input: string | Uint8Array): number => (typeof input === 'string' ? input.length : input.byteLength);

const CHUNK = 64 * 1024;

/**
 * Reads a pain.001.001.03 or .09 file (a string, or UTF-8 bytes) into its payments. Refused with
 * `INVALID_COMMAND`, before any storage and as soon as it is seen: a file over
 * {@link MAX_PAIN001_BYTES}; a DOCTYPE; nesting over {@link MAX_PAIN001_DEPTH}; text over
 * {@link MAX_PAIN001_TEXT}; more than {@link MAX_PAYMENTS_PER_ORDER} transactions; a root that is not
 * a pain.001 `Document` of a version read, or an element of another namespace; malformed XML (the
 * issue names the line). Then each payment is checked as `UploadOrder` checks it (issues named
 * `payments.3.amount`, with the transaction's line), and `NbOfTxs` and `CtrlSum` of the file and of
 * each `PmtInf` against the transactions.
 */
export const parsePain001 = (input: string | Uint8Array): Either<SdkError, Pain001File> => {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return E.left(invalidCommand([{ path: 'file', message: 'must be a string or UTF-8 bytes' }]));
  if (sizeOf(input) > MAX_PAIN001_BYTES) return E.left(invalidCommand([{ path: 'file', message: `is larger than ${MAX_PAIN001_BYTES} bytes` }]));
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);

  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: string[] = [];
  let namespace: string | undefined;
  let version: Pain001Version | undefined;
  let buffer = '';
  let draft: Draft | undefined;
  let txDepth = -1;
  let paymentInfo = -1;
  const drafts: Draft[] = [];
  const header: Totals & { messageId?: string } = {};
  const groups: { totals: Totals; first: number; count: number }[] = [];

  parser.on('doctype', () => refuse('file', `line ${parser.line}: a DOCTYPE is not allowed (no entities, no external references)`));
  parser.on('error', (error) => refuse('file', `is not well-formed XML: ${error.message.split('\n')[0] ?? 'malformed'}`));
  parser.on('opentagstart', () => {
    if (stack.length >= MAX_PAIN001_DEPTH) refuse('file', `line ${parser.line}: elements nest deeper than ${MAX_PAIN001_DEPTH}`);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (stack.length === 0) {
      const found = (Object.entries(PAIN001_NAMESPACES) as [Pain001Version, string][]).find(([, uri]) => uri === tag.uri);
      if (tag.local !== 'Document' || found === undefined) refuse('file', `is not a pain.001.001.03 or .09 Document (root ${tag.local} in namespace '${tag.uri}')`);
      [version, namespace] = found ?? [undefined, undefined];
    } else if (tag.uri !== namespace) {
      refuse('file', `line ${parser.line}: element ${tag.local} is not in the namespace of the Document`);
    }
    stack.push(tag.local);
    buffer = '';
    if (tag.local === 'PmtInf' && stack.length === 3) {
      paymentInfo = groups.length;
      groups.push({ totals: {}, first: drafts.length, count: 0 });
    }
    if (tag.local === TX && stack.length === 4) {
      if (drafts.length >= MAX_PAYMENTS_PER_ORDER) refuse('file', `holds more than ${MAX_PAYMENTS_PER_ORDER} transactions (the most one order carries)`);
      draft = { line: parser.line };
      txDepth = stack.length;
    }
    const currency = tag.local === 'InstdAmt' ? tag.attributes.Ccy?.value : undefined;
    if (draft !== undefined && currency !== undefined) draft.currency = currency;
  });
  const onText = (chunk: string): void => {
    if (buffer.length + chunk.length > MAX_PAIN001_TEXT) refuse('file', `line ${parser.line}: an element's text is longer than ${MAX_PAIN001_TEXT} characters`);
    buffer += chunk;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const value = buffer.trim();
    buffer = '';
    const path = stack.slice(2).join('/');
    if (draft !== undefined && stack.length > txDepth) {
      transactionFields[stack.slice(txDepth).join('/')]?.(draft, value);
    } else if (draft !== undefined && stack.length === txDepth) {
      drafts.push(draft);
      draft = undefined;
      const group = groups[paymentInfo];
      if (group !== undefined) group.count++;
    } else if (path === 'GrpHdr/MsgId') header.messageId = value;
    else if (path === 'GrpHdr/NbOfTxs') header.count = value;
    else if (path === 'GrpHdr/CtrlSum') header.sum = value;
    else if (path === 'PmtInf/NbOfTxs' && groups[paymentInfo] !== undefined) (groups[paymentInfo] as { totals: Totals }).totals.count = value;
    else if (path === 'PmtInf/CtrlSum' && groups[paymentInfo] !== undefined) (groups[paymentInfo] as { totals: Totals }).totals.sum = value;
    stack.pop();
  });

  try {
    for (let at = 0; at < text.length; at += CHUNK) parser.write(text.slice(at, at + CHUNK));
    parser.close();
  } catch (thrown) {
    if (thrown instanceof Refusal) return E.left(invalidCommand([thrown.issue]));
    return E.left(invalidCommand([{ path: 'file', message: 'is not well-formed XML' }]));
  }
  if (version === undefined) return E.left(invalidCommand([{ path: 'file', message: 'holds no pain.001 Document' }]));

  const issues: FieldIssue[] = [];
  if (header.messageId === undefined || header.messageId.length === 0) issues.push({ path: 'GrpHdr.MsgId', message: 'is required' });
  if (header.count === undefined) issues.push({ path: 'GrpHdr.NbOfTxs', message: 'is required' });
  if (drafts.length === 0) issues.push({ path: 'payments', message: 'the file holds no transaction' });
  const payments: Payment[] = [];
  const amounts: bigint[] = [];
  drafts.forEach((entry, index) => {
    const decoded = PaymentCodec.validate(paymentOf(entry), [{ key: '', type: t.unknown, actual: entry }, { key: 'payments', type: t.unknown, actual: entry }, { key: String(index), type: PaymentCodec, actual: entry }]);
    if (decoded._tag === 'Left') {
      for (const issue of validationIssues(decoded.left)) issues.push({ path: issue.path, message: `${issue.message} (transaction at line ${entry.line})` });
    } else payments.push(decoded.right);
    amounts.push(scaled(entry.amount ?? '') ?? 0n);
  });
  const sumOf = (from: number, count: number): bigint => amounts.slice(from, from + count).reduce((sum, amount) => sum + amount, 0n);
  issues.push(...controlIssues('GrpHdr', header, drafts.length, sumOf(0, drafts.length)));
  groups.forEach((group, index) => issues.push(...controlIssues(`PmtInf.${index}`, group.totals, group.count, sumOf(group.first, group.count))));
  if (issues.length > 0) return E.left(invalidCommand(issues.slice(0, 20)));
  return E.right({
    version,
    messageId: header.messageId ?? '',
    numberOfTransactions: drafts.length,
    ...(header.sum === undefined ? {} : { controlSum: header.sum }),
    payments,
  });
};

/** Where a payment file goes: the order's identity and service. */
export interface Pain001Upload {
  readonly orderId: string;
  readonly companyId: string;
  readonly serviceId: string;
  /** The order's reference; default: the file's `MsgId`. */
  readonly reference?: string;
}

/**
 * The `UploadOrder` command of a pain.001 file (to be dispatched with a `commandId` and an actor):
 * a `file` order whose currency is its first payment's, with every payment of the file. Count and
 * total are not copied: `UploadOrder` derives them (the file's own figures were checked here).
 */
export const uploadOrderFromPain001 = (
  input: string | Uint8Array,
  target: Pain001Upload,
): Either<SdkError, { readonly type: 'UploadOrder'; readonly kind: 'file'; readonly currency: string; readonly reference: string; readonly payments: readonly Payment[] } & Pain001Upload> =>
  E.map((file: Pain001File) => ({
    type: 'UploadOrder' as const,
    kind: 'file' as const,
    ...target,
    reference: target.reference ?? file.messageId,
    currency: file.payments[0]?.currency ?? '',
    payments: file.payments,
  }))(parsePain001(input));
