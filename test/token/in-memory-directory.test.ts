import { describe, expect, it } from 'vitest';
import { inMemoryDirectory } from '../../src/ports/in-memory-directory.js';

describe('the in-memory directory', () => {
  const ana = { companyId: 'acme', userId: 'ana', displayName: 'Ana', active: true, email: 'a@x.co', mobile: '+57300', isCompanyAdmin: false, securityAnswer: ' Firulais ' };

  it('answers users by company and id, without the security answer', () => {
    const directory = inMemoryDirectory([ana]);
    expect(directory.getUser('acme', 'ana')).toEqual({ companyId: 'acme', userId: 'ana', displayName: 'Ana', active: true, email: 'a@x.co', mobile: '+57300', isCompanyAdmin: false });
    expect(directory.getUser('other', 'ana')).toBeUndefined();
    expect(directory.getUser('acme', '__proto__')).toBeUndefined();
  });

  it('checks security answers the way a person expects (case and surrounding spaces ignored)', () => {
    const { securityAnswer: _none, ...bo } = { ...ana, userId: 'bo' };
    const directory = inMemoryDirectory([ana, bo]);
    expect(directory.checkSecurityAnswer('acme', 'ana', 'firulais')).toBe(true);
    expect(directory.checkSecurityAnswer('acme', 'ana', 'firulai')).toBe(false);
    expect(directory.checkSecurityAnswer('acme', 'bo', '')).toBe(false);
    expect(directory.checkSecurityAnswer('acme', 'nobody', 'firulais')).toBe(false);
  });

  it('can be edited', () => {
    const directory = inMemoryDirectory();
    directory.upsert(ana);
    directory.upsert({ ...ana, active: false });
    expect(directory.getUser('acme', 'ana')?.active).toBe(false);
    directory.remove('acme', 'ana');
    expect(directory.getUser('acme', 'ana')).toBeUndefined();
  });
});
