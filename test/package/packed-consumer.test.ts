import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const entryPoints = ['softtoken-sdk', 'softtoken-sdk/postgres', 'softtoken-sdk/device', 'softtoken-sdk/testing', 'softtoken-sdk/relay', 'softtoken-sdk/nats'] as const;
// What a consumer's package manager would install beside us; linked from our own node_modules so
// the test needs no network.
const installedBeside = ['fp-ts', 'io-ts', '@noble/hashes', 'uuid', 'pg', '@nats-io/jetstream', '@nats-io/nats-core'];

let work = '';
let consumer = '';

const run = (command: string, args: readonly string[], cwd: string): string =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

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
  // Building six entry points with their declarations takes minutes when the machine is loaded.
}, 300_000);

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
    writeFileSync(join(consumer, 'core.mjs'), `import { canonicalJson } from 'softtoken-sdk'; console.log(canonicalJson({ b: 1, a: 2 }));`);
    writeFileSync(join(consumer, 'core.cjs'), `const { canonicalJson } = require('softtoken-sdk'); console.log(canonicalJson({ b: 1, a: 2 }));`);
    expect(run('node', ['core.mjs'], consumer).trim()).toBe('{"a":2,"b":1}');
    expect(run('node', ['core.cjs'], consumer).trim()).toBe('{"a":2,"b":1}');
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
