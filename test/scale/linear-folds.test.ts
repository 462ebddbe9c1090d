import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/events/envelope.js';
import { GENESIS_HASH } from '../../src/events/envelope.js';
import { companyFold } from '../../src/domain/company/fold.js';
import { evolveTokenTable, emptyTokenTable } from '../../src/projections/token-table/state.js';
import { emptyAudit, evolveAudit } from '../../src/projections/audit/state.js';

/**
 * Linear folds, proved by counting work rather than timing it: every `Map.prototype.set` (a copied
 * Map calls it once per entry) and every element an `Array.prototype.slice` copies (the persistent
 * map copies one path of small nodes this way). Creating ten times the tokens in one company must
 * cost about ten times the work, not a hundred. The bound is 20, not 10: a persistent map copies one
 * path of nodes of up to 32 children, and that path grows by one node between 1,000 and 10,000 keys
 * (a log32 factor, at most 7 at 2^32 keys).
 */
const counted = { work: 0 };
const originalSet = Map.prototype.set; // eslint-disable-line @typescript-eslint/unbound-method
const originalSlice = Array.prototype.slice;

const countWork = (run: () => unknown): number => {
  counted.work = 0;
  Map.prototype.set = function (this: Map<unknown, unknown>, key: unknown, value: unknown) {
    counted.work++;
    return originalSet.call(this, key, value);
  };
  Array.prototype.slice = function (this: unknown[], start?: number, end?: number) {
    const copy: unknown[] = originalSlice.call(this, start, end);
    counted.work += copy.length;
    return copy;
  };
  try {
    run();
  } finally {
    Map.prototype.set = originalSet;
    Array.prototype.slice = originalSlice;
  }
  return counted.work;
};

afterEach(() => {
  Map.prototype.set = originalSet;
  Array.prototype.slice = originalSlice;
});

const stored = (streamId: string, streamVersion: number, type: string, data: Record<string, unknown>, position: number): StoredEvent => ({
  eventId: `e-${String(position)}`,
  type,
  schemaVersion: 1,
  data: data as StoredEvent['data'],
  metadata: {
    commandId: `c-${String(position)}`,
    correlationId: `c-${String(position)}`,
    causationId: `c-${String(position)}`,
    actor: { kind: 'user', userId: 'admin', companyId: 'acme' },
    occurredAt: '2026-01-01T00:00:00.000Z',
  },
  streamId,
  streamVersion,
  globalPosition: position,
  prevHash: GENESIS_HASH,
  hash: 'h',
});

/** The events of creating `count` soft tokens for `count` users of one company. */
const tokensCreated = (count: number): StoredEvent[] => {
  const events: StoredEvent[] = [stored('company-acme', 1, 'CompanyConfigured', { quota: count, policy: {} }, 1)];
  for (let index = 0; index < count; index++) {
    const serial = `S${String(index).padStart(8, '0')}`;
    const userId = `u${String(index)}`;
    events.push(stored(`token-${serial}`, 1, 'TokenRequested', { serial, companyId: 'acme', userId, userName: `User ${String(index)}` }, events.length + 1));
    events.push(stored('company-acme', index + 2, 'TokenSlotReserved', { serial, userId }, events.length + 1));
  }
  return events;
};

const foldCompany = (events: readonly StoredEvent[]): unknown =>
  events.filter((event) => event.streamId === 'company-acme' && event.type !== 'CompanyConfigured').reduce((state, event) => companyFold.evolve(state, event as never, event), companyFold.initialState);

const ratioOfWork = (fold: (events: readonly StoredEvent[]) => unknown, smaller = 1_000): number => {
  const small = tokensCreated(smaller);
  const large = tokensCreated(smaller * 10);
  return countWork(() => fold(large)) / countWork(() => fold(small));
};

describe('folds over a company that grows to 10,000 tokens', () => {
  it('the counter sees a fold that copies its map per event (so the bounds below can fail)', () => {
    const copying = (events: readonly StoredEvent[]) =>
      events.reduce((map: ReadonlyMap<string, string>, event) => new Map(map).set(event.streamId, event.type), new Map<string, string>());
    expect(ratioOfWork(copying, 150)).toBeGreaterThan(50);
  });

  it('the company state (its user -> token index) does linear work', () => {
    expect(ratioOfWork(foldCompany)).toBeLessThan(20);
  });

  it('the token table (rows and serial -> company) does linear work', () => {
    expect(ratioOfWork((events) => events.reduce(evolveTokenTable, emptyTokenTable))).toBeLessThan(20);
  });

  it('the audit trail (serial -> company) does linear work', () => {
    expect(ratioOfWork((events) => events.reduce((state, event) => evolveAudit(state, event), emptyAudit))).toBeLessThan(20);
  });

  it('still finds each user token and each row after the fold', () => {
    const events = tokensCreated(2_000);
    const company = foldCompany(events) as ReturnType<typeof companyFold.evolve>;
    const table = events.reduce(evolveTokenTable, emptyTokenTable);
    expect(company.holdings.size).toBe(2_000);
    expect(company.holdings.get('u1999')).toEqual({ soft: 'S00001999' });
    expect(company.slotsInUse).toBe(2_000);
    expect(table.companies.get('acme')?.rows.size).toBe(2_000);
    expect(table.companyOfSerial.get('S00000007')).toBe('acme');
  });
});
