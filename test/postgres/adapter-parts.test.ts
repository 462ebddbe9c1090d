import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { postgresCheckpointStore } from '../../src/postgres/checkpoint-store.js';
import { databaseFailure, detailOf, sqlStateOf } from '../../src/postgres/errors.js';
import { postgresEventStore } from '../../src/postgres/event-store.js';
import { advisoryKey, isValidSchemaName, quoteIdentifier, quoteLiteral, statementName } from '../../src/postgres/identifiers.js';
import { decodeEvent, decodeStream, IntegrityError, toArray, toNumber, toText } from '../../src/postgres/rows.js';
import { isStorableText } from '../../src/postgres/text.js';

// What node-postgres rejects with when nothing listens: a system error carrying its code.
const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
const unreachable = { query: () => Promise.reject(refused()), connect: () => Promise.reject(refused()) };

describe('driver values', () => {
  it('reads bigint columns as numbers, as strings (node-postgres) or numbers (PGlite), and nothing else', () => {
    expect(toNumber('9007199254740991')).toBe(2 ** 53 - 1);
    expect(toNumber(42)).toBe(42);
    // A host that parses int8 as BigInt globally (pg.types.setTypeParser(20, BigInt)) still works.
    expect(toNumber(42n)).toBe(42);
    for (const bad of ['9007199254740993', 2n ** 53n + 1n, '1.5', 'x', null, undefined, true]) expect(() => toNumber(bad)).toThrow(TypeError);
    expect(toArray(['1'])).toEqual(['1']);
    expect(() => toArray('{1}')).toThrow(TypeError);
    expect(toText('a')).toBe('a');
    expect(() => toText(1)).toThrow(TypeError);
  });

  it('decodes a stored event and, asked to, checks its hash', () => {
    const json = '{"data":{},"eventId":"e","globalPosition":1,"metadata":{},"prevHash":"0","schemaVersion":1,"streamId":"s","streamVersion":1,"type":"T"}';
    const hash = 'f'.repeat(64);
    expect(decodeEvent([json, hash], false)).toMatchObject({ streamId: 's', hash });
    expect(() => decodeEvent([json, hash], true)).toThrow(IntegrityError);
    const second = json.replace('"streamVersion":1', '"streamVersion":3').replace('"prevHash":"0"', `"prevHash":"${hash}"`);
    expect(() => decodeStream([[json, hash], [second, hash]], false)).toThrow(IntegrityError);
  });
});

describe('database errors', () => {
  it('keeps the SQLSTATE and the detail of a driver error, and nothing of anything else', () => {
    expect(sqlStateOf({ code: '40P01' })).toBe('40P01');
    for (const bad of [{ code: 40 }, { code: 'ECONNRESET' }, {}, null, 'boom', new Error('x')]) expect(sqlStateOf(bad)).toBeUndefined();
    expect(detailOf({ detail: '{"a":1}' })).toBe('{"a":1}');
    for (const bad of [{ detail: 1 }, {}, null, 7]) expect(detailOf(bad)).toBe('');
  });

  it('describes a failure by operation and SQLSTATE, never by the driver message', () => {
    const secret = Object.assign(new Error('duplicate key (stream_id)=(token-secret)'), { code: '23505' });
    expect(databaseFailure('append')(secret).message).toBe('PostgreSQL: append failed (SQLSTATE 23505)');
    expect(databaseFailure('readAll')({ code: '57P01' }).message).toContain('the connection was terminated');
    expect(databaseFailure('migrate')(new Error('password authentication failed for user "bank"')).message).not.toContain('bank');
  });
});

describe('identifiers', () => {
  it('accepts plain lower-case schema names only', () => {
    for (const good of ['softtoken', '_x', 'a1_b2', 'a'.repeat(63)]) expect(isValidSchemaName(good)).toBe(true);
    for (const bad of ['', 'A', '1a', 'a-b', 'a b', 'a'.repeat(64), 'é', 'a"b']) expect(isValidSchemaName(bad)).toBe(false);
  });

  it('quotes identifiers and literals so nothing escapes them', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
  });

  it('derives stable, positive 31-bit lock keys and short statement names', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const key = advisoryKey(text);
        expect(Number.isInteger(key) && key >= 0 && key < 2 ** 31).toBe(true);
        expect(advisoryKey(text)).toBe(key);
        expect(statementName(text)).toMatch(/^softtoken_[0-9a-f]{24}$/);
      }),
      { numRuns: 500 },
    );
  });

  it('tells text PostgreSQL stores unchanged from text it cannot', () => {
    for (const good of ['', 'token-ST1', 'ñ 🧾', 'a\ud83d\ude00b']) expect(isStorableText(good)).toBe(true);
    for (const bad of ['\u0000', 'a\ud800', '\udc00b', 'x\ud83d']) expect(isStorableText(bad)).toBe(false);
  });
});

describe('adapters without a database', () => {
  it('use the default schema when none is named', () => {
    expect(postgresEventStore(unreachable).schema).toBe('softtoken');
    expect(postgresCheckpointStore(unreachable).schema).toBe('softtoken');
  });

  it('report a pool that cannot connect as Infrastructure errors', async () => {
    const checkpoints = postgresCheckpointStore(unreachable);
    let ran = false;
    const owned = await checkpoints.withOwnership('p', () => {
      ran = true;
      return Promise.resolve(1);
    })();
    expect(owned).toMatchObject({ _tag: 'Left', left: { _tag: 'Infrastructure' } });
    expect(ran).toBe(false);
    for (const task of [checkpoints.load('p'), checkpoints.save('p', { position: 1, state: {} }), checkpoints.migrate()]) {
      expect(await task()).toMatchObject({ _tag: 'Left', left: { _tag: 'Infrastructure', message: expect.stringContaining('no answer from the server') as unknown } });
    }
  });

  it('tell a bug in the client apart from a lost connection, without quoting it', async () => {
    const buggy = { query: () => Promise.reject(new RangeError('row 7: "secret-ish payload"')), connect: () => Promise.reject(new RangeError('x')) };
    const loaded = await postgresCheckpointStore(buggy).load('p')();
    expect(loaded).toMatchObject({ _tag: 'Left', left: { _tag: 'Infrastructure', message: expect.stringContaining('unexpected RangeError in the client') as unknown } });
    expect(JSON.stringify(loaded)).not.toContain('secret-ish');
    const dropped = { query: () => Promise.reject(new Error('Connection terminated unexpectedly')), connect: () => Promise.reject(new Error('x')) };
    expect(await postgresCheckpointStore(dropped).load('p')()).toMatchObject({ left: { message: expect.stringContaining('no answer from the server') as unknown } });
  });
});
