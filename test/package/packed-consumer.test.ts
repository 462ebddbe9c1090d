import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const EXPECTED_MONEY = '1234.50';
const entryPoints = ['softtoken-sdk', 'softtoken-sdk/postgres', 'softtoken-sdk/device', 'softtoken-sdk/testing', 'softtoken-sdk/promise', 'softtoken-sdk/relay', 'softtoken-sdk/nats', 'softtoken-sdk/pkcs11'] as const;
// What a consumer's package manager would install beside us; linked from our own node_modules so
// the test needs no network.
const installedBeside = ['fp-ts', 'io-ts', '@noble/hashes', 'uuid', 'pg', '@nats-io/jetstream', '@nats-io/nats-core', 'pkcs11js'];

let work = '';
let consumer = '';

const run = (command: string, args: readonly string[], cwd: string): string =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// Building five entry points with their declarations takes minutes on a busy machine.
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'softtoken-pack-'));
  run('npx', ['tsup', '--silent'], root);
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root)) as ReadonlyArray<{ filename: string }>;
  const tarball = join(work, packed[0]!.filename);

  consumer = join(work, 'consumer');
  const installed = join(consumer, 'node_modules', 'softtoken-sdk');
  mkdirSync(installed, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], work);
  for (const name of installedBeside) {
    const target = join(consumer, 'node_modules', name);
    mkdirSync(join(target, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), target, 'dir');
  }
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
}, 600_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('ships only the build output and the docs', () => {
    const files = readdirSync(join(consumer, 'node_modules', 'softtoken-sdk'));
    expect(files).toContain('dist');
    expect(files).toContain('package.json');
    expect(files).not.toContain('src');
    expect(files).not.toContain('test');
  });

  it.each(entryPoints)('%s can be imported from ESM and required from CommonJS, with the same names', (specifier) => {
    writeFileSync(join(consumer, 'names.mjs'), `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(specifier)})).sort()));`);
    writeFileSync(join(consumer, 'names.cjs'), `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(specifier)})).sort()));`);
    const viaImport = JSON.parse(run('node', ['names.mjs'], consumer)) as string[];
    const viaRequire = JSON.parse(run('node', ['names.cjs'], consumer)) as string[];
    expect(viaRequire).toEqual(viaImport);
  });

  it('the core exposes its public functions to both module systems', () => {
    writeFileSync(join(consumer, 'core.mjs'), `import { formatMoney, parseMoney } from 'softtoken-sdk'; const m = parseMoney('1234.5', 'USD'); console.log(m._tag === 'Right' ? formatMoney(m.right) : 'x');`);
    writeFileSync(join(consumer, 'core.cjs'), `const { formatMoney, parseMoney } = require('softtoken-sdk'); const m = parseMoney('1234.5', 'USD'); console.log(m._tag === 'Right' ? formatMoney(m.right) : 'x');`);
    expect(run('node', ['core.mjs'], consumer).trim()).toBe(EXPECTED_MONEY);
    expect(run('node', ['core.cjs'], consumer).trim()).toBe(EXPECTED_MONEY);
  });

  it('the Promise entry point runs a command from both module systems and resolves, never rejects', () => {
    const program = (load: string): string =>
      `${load}\nconst sdk = createSdk();\nsdk.dispatch({ type: 'VerifyOtp', commandId: 'c', actor: { kind: 'bank', operatorId: 'op' }, otp: '123456' }).then((r) => console.log(r.ok, r.ok ? '' : r.error.code));`;
    writeFileSync(join(consumer, 'promise.mjs'), program(`import { createSdk } from 'softtoken-sdk/promise';`));
    writeFileSync(join(consumer, 'promise.cjs'), program(`const { createSdk } = require('softtoken-sdk/promise');`));
    expect(run('node', ['promise.mjs'], consumer).trim()).toBe('false FORBIDDEN');
    expect(run('node', ['promise.cjs'], consumer).trim()).toBe('false FORBIDDEN');
  });

  it('the core bundles for the browser without any node: module', async () => {
    const result = await build({
      stdin: { contents: `export * from 'softtoken-sdk';`, resolveDir: consumer },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes('softtoken-sdk/dist'))).toBe(true);
    expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/from\s*["']node:/);
  });
});
