import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { activeToken, configure } from '../sdk/fixtures.js';
import { bank, harness, person, user } from '../sdk/harness.js';

const CO = 'acme';
const admin = user(CO, 'ada');
const bo = user(CO, 'bo');

describe('personal data stays out of the immutable log', () => {
  it('events keep ids only; the table shows the Directory\'s name at read time; a person erased from the Directory is shown by id while every chain still verifies and the audit trail names who did what by id', async () => {
    const world = harness([person(CO, 'ada', { isCompanyAdmin: true, displayName: 'Ada Lovelace' }), person(CO, 'bo', { displayName: 'Bolívar Ruiz' })]);
    await configure(world, CO, 5);
    const { serial } = await activeToken(world, admin, bo);

    const log = await world.sdk.store.readAll({ fromPosition: 0, limit: 10_000 })();
    if (E.isLeft(log)) throw new Error(log.left.message);
    const written = JSON.stringify(log.right);
    expect(written).not.toContain('Bolívar');
    expect(written).not.toContain('Ada Lovelace');
    expect(written).toContain('"bo"');

    const shown = async (): Promise<readonly string[]> => {
      const page = await world.sdk.views.tokenTable(CO, {})();
      if (E.isLeft(page)) throw new Error(page.left.message);
      return page.right.rows.map((row) => row.userName);
    };
    expect(await shown()).toEqual(['Bolívar Ruiz']);
    // A name corrected in the Directory shows corrected at once: the log was never the source.
    world.directory.upsert(person(CO, 'bo', { displayName: 'Bolívar R.' }));
    expect(await shown()).toEqual(['Bolívar R.']);

    // Forgetting the person is erasing them in the Directory: the SDK holds nothing else of them.
    world.directory.remove(CO, 'bo');
    expect(await shown()).toEqual(['bo']);
    expect(await world.sdk.verify()()).toMatchObject({ right: { ok: true } });
    const audit = await world.sdk.views.audit({})();
    if (E.isLeft(audit)) throw new Error(audit.left.message);
    const trail = JSON.stringify(audit.right);
    expect(trail).toContain(serial);
    expect(trail).not.toContain('Bolívar');
    // The bank can still delete the forgotten person's token, by serial.
    await world.ok(bank, { type: 'DeleteToken', serial });
  });
});
