import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { DispatchResult } from '../../src/commands/command-handler.js';
import type { AssignPhysicalTokenOutput, ImportPhysicalTokensOutput } from '../../src/commands/token/index.js';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { StoredEvent } from '../../src/events/envelope.js';
import { encodeBase32 } from '../../src/otp/base32.js';
import { hotp } from '../../src/otp/hotp.js';
import { totp } from '../../src/otp/totp.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import type { EventStore } from '../../src/store/event-store.js';
import { bank, harness, output, person, user } from '../sdk/harness.js';
import { boxOfTokens, seedFor, writePskc, type WrittenToken } from './pskc-writer.js';

const CO = 'acme';
const PSK = Uint8Array.from({ length: 16 }, (_, index) => index * 7 + 1);
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo'), person(CO, 'cy'), person('other', 'oz', { isCompanyAdmin: true })];

const world = (store?: EventStore) => {
  const w = harness(people, store === undefined ? {} : { store });
  return w;
};

const configured = async (w: ReturnType<typeof world>): Promise<void> => {
  await w.ok(bank, { type: 'ConfigureCompany', companyId: CO, quota: 5 });
  await w.ok(bank, { type: 'ConfigureCompany', companyId: 'other', quota: 5 });
};

const importFile = (w: ReturnType<typeof world>, file: string, extra: Record<string, unknown> = {}): Promise<E.Either<SdkError, DispatchResult>> =>
  w.send(bank, { type: 'ImportPhysicalTokens', companyId: CO, format: 'pskc', file, preSharedKey: bytesToHex(PSK), ...extra });

const allEvents = async (store: EventStore): Promise<readonly StoredEvent[]> => {
  const read = await store.readAll({ fromPosition: 0, limit: 1_000_000 })();
  if (E.isLeft(read)) throw new Error(read.left.message);
  return read.right;
};

/** Every way a seed could be spelled in text: hex, Base32, Base64. */
const spellings = (seed: Uint8Array): readonly string[] => [bytesToHex(seed), encodeBase32(seed).replace(/=+$/, ''), btoa(String.fromCharCode(...seed)).replace(/=+$/, '')];

const expectNoSecret = (texts: readonly string[], secrets: readonly Uint8Array[]): void => {
  const haystack = texts.join('\n');
  for (const secret of secrets) for (const spelling of spellings(secret)) expect(haystack.includes(spelling)).toBe(false);
  expect(haystack.includes(bytesToHex(PSK))).toBe(false);
};

const box: readonly WrittenToken[] = [
  { serial: 'HW-0001', seed: seedFor(1), mode: 'totp' },
  { serial: 'HW-0002', seed: seedFor(2), mode: 'hotp', counter: 5 },
  { serial: 'HW-0003', seed: seedFor(3), mode: 'totp', digits: 8, period: 60 },
];

describe('ImportPhysicalTokens: a box of hardware tokens into the company pool', () => {
  it('imports an encrypted PSKC file: the tokens are unassigned, their seeds only in the vault', async () => {
    const w = world();
    await configured(w);
    const imported = output<ImportPhysicalTokensOutput>(await w.ok(bank, { type: 'ImportPhysicalTokens', companyId: CO, format: 'pskc', file: writePskc(box, { preSharedKey: PSK }), preSharedKey: bytesToHex(PSK) }));
    expect(imported).toEqual({ companyId: CO, count: 3, serials: ['HW0001', 'HW0002', 'HW0003'], status: 'unassigned', kind: 'physical' });
    const table = await w.sdk.views.tokenTable(CO, { sortBy: 'serial' })();
    expect(E.isRight(table) && table.right.rows.map((row) => [row.serial, row.status, row.kind, row.userId])).toEqual([
      ['HW0001', 'unassigned', 'physical', ''],
      ['HW0002', 'unassigned', 'physical', ''],
      ['HW0003', 'unassigned', 'physical', ''],
    ]);
    expect(w.vault.everPut().map(bytesToHex).sort()).toEqual(box.map((token) => bytesToHex(token.seed)).sort());
    const audit = await w.sdk.views.audit({ pageSize: 1 })();
    expect(E.isRight(audit) && audit.right.entries[0]).toMatchObject({ action: 'ImportPhysicalTokens', outcome: 'succeeded', companyIds: [CO], tokenStatuses: imported.serials.map((serial) => ({ serial, status: 'unassigned' })) });
    // Nobody can use a pooled token: it is nobody's.
    expect(await w.fails(user(CO, 'bo'), { type: 'VerifyOtp', otp: totp(seedFor(1), w.clock.now()) })).toMatchObject({ _tag: 'PreconditionFailed' });
  });

  it('imports the OATH CSV of Microsoft Entra', async () => {
    const w = world();
    await configured(w);
    const file = ['upn,serial number,secret key,time interval,manufacturer,model', ...box.map((token) => `x@acme.example,${token.serial},${encodeBase32(token.seed)},30,Acme,K1`)].join('\n');
    const imported = output<ImportPhysicalTokensOutput>(await w.ok(bank, { type: 'ImportPhysicalTokens', companyId: CO, format: 'oath-csv', file }));
    expect(imported.serials).toEqual(['HW0001', 'HW0002', 'HW0003']);
  });

  it('refuses the whole file when one token is wrong, or its serial is taken, or the key is wrong: nothing stored', async () => {
    const w = world();
    await configured(w);
    const before = (await allEvents(w.sdk.store)).length;
    const short = [...box, { serial: 'HW-0004', seed: seedFor(4, 10) }];
    expect((await w.fails(bank, { type: 'ImportPhysicalTokens', companyId: CO, format: 'pskc', file: writePskc(short, { preSharedKey: PSK }), preSharedKey: bytesToHex(PSK) })).message).toMatch(
      /<Secret> at line \d+: the seed is shorter than 128 bits/,
    );
    expect((await w.fails(bank, { type: 'ImportPhysicalTokens', companyId: CO, format: 'pskc', file: writePskc(box, { preSharedKey: PSK }), preSharedKey: '00'.repeat(16) }))._tag).toBe('InvalidCommand');
    expect((await w.fails(bank, { type: 'ImportPhysicalTokens', companyId: CO, format: 'pskc', file: writePskc(box, { preSharedKey: PSK }), preSharedKey: 'zz' })).message).toBe(
      'invalid command: preSharedKey: must be 32, 48 or 64 hex digits (an AES-128, -192 or -256 key)',
    );
    await w.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'cy', serial: 'HW0003', seed: encodeBase32(seedFor(9)) });
    const taken = await w.fails(bank, { type: 'ImportPhysicalTokens', companyId: CO, format: 'pskc', file: writePskc(box, { preSharedKey: PSK }), preSharedKey: bytesToHex(PSK) });
    expect(taken.message).toMatch(/<KeyPackage> at line \d+: serial HW0003 is already taken by an existing token/);
    expect((await allEvents(w.sdk.store)).map((event) => event.type).slice(before)).toEqual(['PhysicalTokenRegistered', 'PhysicalTokenImported']);
    expect(w.vault.everPut().map(bytesToHex)).toEqual([bytesToHex(seedFor(9))]);
  });

  it('is the bank\'s: a company admin may not import', async () => {
    const w = world();
    await configured(w);
    expect(await w.fails(user(CO, 'ada'), { type: 'ImportPhysicalTokens', companyId: CO, format: 'pskc', file: writePskc(box) })).toMatchObject({ _tag: 'Forbidden' });
    expect(await w.fails(bank, { type: 'ImportPhysicalTokens', companyId: 'nowhere', format: 'pskc', file: writePskc(box) })).toMatchObject({ _tag: 'NotFound' });
  });
});

describe('AssignPhysicalToken', () => {
  it('gives a pooled token to a user, whose codes then confirm; one live physical token a user', async () => {
    const w = world();
    await configured(w);
    await importFile(w, writePskc(box, { preSharedKey: PSK }));
    const assigned = output<AssignPhysicalTokenOutput>(await w.ok(user(CO, 'ada'), { type: 'AssignPhysicalToken', serial: 'HW0002', userId: 'bo' }));
    expect(assigned).toEqual({ serial: 'HW0002', userId: 'bo', status: 'active', kind: 'physical' });
    // The file said the HOTP token's next counter is 5: counters before it count as used.
    expect(await w.fails(user(CO, 'bo'), { type: 'VerifyOtp', otp: hotp(seedFor(2), 4) })).toMatchObject({ _tag: 'OtpRejected' });
    expect(output<{ serial: string }>(await w.ok(user(CO, 'bo'), { type: 'VerifyOtp', otp: hotp(seedFor(2), 5) })).serial).toBe('HW0002');
    expect(await w.fails(bank, { type: 'AssignPhysicalToken', serial: 'HW0001', userId: 'bo' })).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'no-live-physical-token' });
    expect(await w.fails(bank, { type: 'AssignPhysicalToken', serial: 'HW0002', userId: 'cy' })).toMatchObject({ _tag: 'InvalidTransition' });
    const table = await w.sdk.views.tokenTable(CO, { sortBy: 'serial' })();
    expect(E.isRight(table) && table.right.rows.map((row) => [row.serial, row.status, row.userId])).toEqual([
      ['HW0001', 'unassigned', ''],
      ['HW0002', 'active', 'bo'],
      ['HW0003', 'unassigned', ''],
    ]);
  });

  it('the admin confirms with their own code once enrolled; another company\'s admin and plain users cannot', async () => {
    const w = world();
    await configured(w);
    await importFile(w, writePskc(box, { preSharedKey: PSK }));
    await w.ok(bank, { type: 'AssignPhysicalToken', serial: 'HW0001', userId: 'ada' });
    expect(await w.fails(user(CO, 'ada'), { type: 'AssignPhysicalToken', serial: 'HW0003', userId: 'bo' })).toMatchObject({ _tag: 'OtpRequired' });
    expect(await w.fails(user(CO, 'ada'), { type: 'AssignPhysicalToken', serial: 'HW0003', userId: 'bo', otp: '000000' })).toMatchObject({ _tag: 'OtpRejected' });
    await w.ok(user(CO, 'ada'), { type: 'AssignPhysicalToken', serial: 'HW0003', userId: 'bo', otp: totp(seedFor(1), w.clock.now()) });
    expect(await w.fails(user('other', 'oz'), { type: 'AssignPhysicalToken', serial: 'HW0002', userId: 'cy' })).toMatchObject({ _tag: 'NotFound' });
    expect(await w.fails(user(CO, 'cy'), { type: 'AssignPhysicalToken', serial: 'HW0002', userId: 'cy' })).toMatchObject({ _tag: 'Forbidden' });
    expect(await w.fails(bank, { type: 'AssignPhysicalToken', serial: 'HW0002', userId: 'nobody' })).toMatchObject({ _tag: 'NotFound' });
  });
});

describe('secrets', () => {
  it('no seed nor the pre-shared key in any event, output or error of an import', async () => {
    const w = world();
    await configured(w);
    const texts: string[] = [];
    const results = [
      await importFile(w, writePskc(box, { preSharedKey: PSK })),
      await importFile(w, writePskc(box, { preSharedKey: PSK })),
      await importFile(w, writePskc([{ serial: 'X1', seed: seedFor(7, 8) }], { preSharedKey: PSK })),
      await importFile(w, writePskc([{ serial: 'X2', seed: seedFor(8) }], { preSharedKey: PSK }), { preSharedKey: bytesToHex(seedFor(8, 16)) }),
      await importFile(w, `<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc"><KeyPackage><Key Algorithm="${bytesToHex(seedFor(1))}"/></KeyPackage></KeyContainer>`),
      await w.send(bank, { type: 'ImportPhysicalTokens', companyId: CO, format: 'oath-csv', file: `upn,serial number,secret key,time interval,manufacturer,model\nu,1,${encodeBase32(seedFor(2))}x,30,m,x` }),
    ];
    for (const result of results) texts.push(JSON.stringify(E.isLeft(result) ? result.left : result.right.output));
    texts.push(JSON.stringify(await allEvents(w.sdk.store)));
    expect(results.filter(E.isLeft)).toHaveLength(5);
    expectNoSecret(texts, [...box.map((token) => token.seed), seedFor(7, 8), seedFor(8), seedFor(8, 16)]);
  });
});

describe('all or nothing, whatever is corrupted', () => {
  type Corruption = 'serial' | 'mac' | 'cipher' | 'digits' | 'counter' | 'algorithm' | 'short-seed' | 'duplicate';
  const corrupt = (file: string, corruption: Corruption, at: number): string => {
    const parts = file.split('<KeyPackage>');
    const index = 1 + (at % (parts.length - 1));
    const part = parts[index] ?? '';
    const changed: Record<Corruption, () => string> = {
      serial: () => part.replace(/<SerialNo>[^<]*<\/SerialNo>/, '<SerialNo>?!</SerialNo>'),
      mac: () => part.replace(/<ValueMAC>./, (text) => `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`),
      cipher: () => part.replace(/<xenc:CipherValue>./, (text) => `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`),
      digits: () => part.replace(/Length="\d"/, 'Length="9"'),
      counter: () => part.replace(/<Counter><PlainValue>\d+/, '<Counter><PlainValue>-1'),
      algorithm: () => part.replace(/pskc:(hotp|totp)/, 'pskc:ocra'),
      'short-seed': () => part,
      duplicate: () => part.replace(/<SerialNo>[^<]*<\/SerialNo>/, `<SerialNo>${parts.length > 2 && index === 1 ? 'ZZ2' : 'ZZ1'}</SerialNo>`),
    };
    parts[index] = changed[corruption]();
    return parts.join('<KeyPackage>');
  };

  it('any corrupted subset of fields: refused, no event, no seed in the vault', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.uniqueArray(fc.constantFrom<Corruption>('serial', 'mac', 'cipher', 'digits', 'counter', 'algorithm', 'short-seed', 'duplicate'), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        async (count, corruptions, at) => {
          const store = inMemoryEventStore();
          const w = world(store);
          await configured(w);
          const before = (await allEvents(store)).length;
          const shortSeed = corruptions.includes('short-seed');
          const duplicate = corruptions.includes('duplicate');
          const tokens = boxOfTokens(duplicate ? Math.max(2, count) : count).map((token, index) => ({
            ...token,
            seed: shortSeed && index === at % count ? seedFor(index, 10) : token.seed,
            serial: duplicate && index < 2 ? `ZZ${String(index + 1)}` : token.serial,
          }));
          let file = writePskc(tokens, { preSharedKey: PSK });
          for (const corruption of corruptions) if (corruption !== 'short-seed') file = corrupt(file, corruption, at);
          const result = await importFile(w, file);
          expect(E.isLeft(result) && result.left._tag).toBe('InvalidCommand');
          expect((await allEvents(store)).length).toBe(before);
          expect(w.vault.everPut()).toHaveLength(0);
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});

describe('10,000 tokens in one import', () => {
  it('reads each serial once, appends one event a token, and folds the table and audit trail in one pass', async () => {
    const inner = inMemoryEventStore();
    const reads = new Map<string, number>();
    const counting: EventStore = {
      ...inner,
      readStream: (streamId, options) => {
        reads.set(streamId, (reads.get(streamId) ?? 0) + 1);
        return inner.readStream(streamId, options);
      },
    };
    const w = world(counting);
    await configured(w);
    reads.clear();
    const count = 10_000;
    const imported = output<ImportPhysicalTokensOutput>(await w.ok(bank, { type: 'ImportPhysicalTokens', companyId: CO, format: 'pskc', file: writePskc(boxOfTokens(count)) }));
    expect(imported.count).toBe(count);
    // The work counted: one read of each token stream and one of the company's, one event a token.
    expect(reads.size).toBe(count + 1);
    expect(Math.max(...reads.values())).toBe(1);
    const events = await allEvents(counting);
    expect(events.filter((event) => event.type === 'PhysicalTokenPooled')).toHaveLength(count);
    const table = await w.sdk.views.tokenTable(CO, { pageSize: 1 })();
    expect(E.isRight(table) && table.right.paging.total).toBe(count);
    const audit = await w.sdk.views.audit({ pageSize: 1 })();
    expect(E.isRight(audit) && audit.right.entries[0]?.streams).toHaveLength(count);
  }, 180_000);
});
