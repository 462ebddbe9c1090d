import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const EXPECTED_MONEY = '1234.50';
const entryPoints = ['softtoken-sdk', 'softtoken-sdk/postgres', 'softtoken-sdk/device', 'softtoken-sdk/testing', 'softtoken-sdk/promise', 'softtoken-sdk/relay', 'softtoken-sdk/nats', 'softtoken-sdk/otel', 'softtoken-sdk/pkcs11'] as const;
// What a consumer's package manager would install beside us; linked from our own node_modules so
// the test needs no network. The package's own dependencies first, as npm would install them with it.
const dependencies = ['@noble/hashes', '@noble/ciphers', '@xmldom/xmldom', 'uuid', 'uqr', 'saxes', 'xmlchars'];
const installedBeside = ['fp-ts', 'io-ts', ...dependencies, 'pg', '@nats-io/jetstream', '@nats-io/nats-core', '@opentelemetry/api', 'pkcs11js'];
// A consumer that installed only the required peers: no optional one (no OpenTelemetry, no NATS, no pg, no PKCS#11).
const requiredPeers = ['fp-ts', 'io-ts', ...dependencies];

let work = '';
let consumer = '';
let bare = '';

const linkBeside = (directory: string, names: readonly string[]): void => {
  for (const name of names) {
    const target = join(directory, 'node_modules', name);
    mkdirSync(join(target, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), target, 'dir');
  }
};

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
  linkBeside(consumer, installedBeside);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));

  bare = join(work, 'bare');
  // A copy of its own, not a link: Node resolves a link to its target and would find the target's neighbours.
  mkdirSync(join(bare, 'node_modules', 'softtoken-sdk'), { recursive: true });
  run('tar', ['-xzf', tarball, '-C', join(bare, 'node_modules', 'softtoken-sdk'), '--strip-components=1'], work);
  linkBeside(bare, requiredPeers);
  writeFileSync(join(bare, 'package.json'), JSON.stringify({ name: 'bare', private: true }));
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

  it('without the optional @opentelemetry/api installed, the root entry loads and dispatches (only the otel entry needs it)', () => {
    const program = (load: string): string =>
      `${load}\nconst sdk = createSdk();\nsdk.dispatch({ type: 'VerifyOtp', commandId: 'c', actor: { kind: 'bank', operatorId: 'op' }, otp: '123456' })().then((r) => console.log(r._tag, r._tag === 'Left' ? r.left.code : ''));`;
    writeFileSync(join(bare, 'root.mjs'), program(`import { createSdk } from 'softtoken-sdk';`));
    writeFileSync(join(bare, 'root.cjs'), program(`const { createSdk } = require('softtoken-sdk');`));
    expect(run('node', ['root.mjs'], bare).trim()).toBe('Left FORBIDDEN');
    expect(run('node', ['root.cjs'], bare).trim()).toBe('Left FORBIDDEN');
    writeFileSync(join(bare, 'otel.mjs'), `import('softtoken-sdk/otel').then(() => console.log('loaded'), (error) => console.log(String(error.message).includes('@opentelemetry/api') ? 'needs @opentelemetry/api' : error.message));`);
    expect(run('node', ['otel.mjs'], bare).trim()).toBe('needs @opentelemetry/api');
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
