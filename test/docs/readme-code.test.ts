import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');

/** The fenced blocks of a Markdown text: language, body, and the line just before the fence. */
const fencedBlocks = (markdown: string): { language: string; body: string; before: string }[] =>
  [...markdown.matchAll(/(?:^|\n)([^\n]*)\n```([a-z]*)\n([\s\S]*?)\n```/gu)].map((match) => ({ before: match[1]!, language: match[2]!, body: match[3]! }));

/** How the examples import the package from inside the repository, and how a host imports it. */
const published: readonly (readonly [string, string])[] = [
  ["'../src/index.js'", "'softtoken-sdk'"],
  ["'../src/device/index.js'", "'softtoken-sdk/device'"],
];
const asPublished = (source: string): string => published.reduce((text, [local, name]) => text.replaceAll(local, name), source);

describe("the README's first lines", () => {
  it('give the two commands a newcomer runs, each on a line of its own in a code block', () => {
    const [first] = fencedBlocks(readme);
    expect(readme.indexOf('```')).toBeLessThan(readme.indexOf('\n## '));
    expect(first?.body.split('\n')).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
  });

  it('give CI its test command: the first "npm ci && npm …test…" line, as .ci/run reads it', () => {
    const ciRun = readFileSync(resolve(root, '.ci/run'), 'utf8');
    expect(ciRun).toContain("sed -n 's/^npm ci && \\(npm .*test.*\\)$/\\1/p' README.md | head -n 1");
    const commands = readme.split('\n').flatMap((line) => /^npm ci && (npm .*test.*)$/u.exec(line)?.[1] ?? []);
    expect(commands[0]).toBe('npm test');
  });
});

describe("the README's quick start", () => {
  const file = readFileSync(resolve(root, 'examples/quick-start.ts'), 'utf8');
  const block = fencedBlocks(readme).find((candidate) => candidate.before === '<!-- quick-start: examples/quick-start.ts -->');

  it('is examples/quick-start.ts, with the imports a host writes', () => {
    expect(block?.language).toBe('ts');
    expect(block?.body).toBe(asPublished(file).trimEnd());
    expect(file).not.toMatch(/from '\.\.\/src\/(?!index\.js'|device\/index\.js')/u);
  });

  it('is about twenty lines of code', () => {
    const code = file.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('//'));
    expect(code.length).toBeLessThanOrEqual(26);
  });

  it('runs: a user gets an active token and a code from the app confirms a login', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'examples/quick-start.ts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Ana Gómez ST\d{10}[0-9A-Z] active/u);
    expect(run.stdout).toContain('showing 1 to 1 of 1');
  });
});

describe("the README's TypeScript", () => {
  it('compiles, every block, against the package as a host imports it', () => {
    const blocks = fencedBlocks(readme).filter((block) => block.language === 'ts');
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const config = ts.getParsedCommandLineOfConfigFile(resolve(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (config === undefined) throw new Error('tsconfig.json does not parse');
    const options: ts.CompilerOptions = {
      ...config.options,
      noEmit: true,
      // Snippets show a step, not a whole program: what they declare need not be used.
      noUnusedLocals: false,
      paths: {
        'softtoken-sdk': [resolve(root, 'src/index.ts')],
        'softtoken-sdk/device': [resolve(root, 'src/device/index.ts')],
        'softtoken-sdk/postgres': [resolve(root, 'src/postgres/index.ts')],
        'softtoken-sdk/testing': [resolve(root, 'src/testing/index.ts')],
        'softtoken-sdk/promise': [resolve(root, 'src/promise/index.ts')],
        'softtoken-sdk/relay': [resolve(root, 'src/relay/index.ts')],
        'softtoken-sdk/nats': [resolve(root, 'src/nats/index.ts')],
        'softtoken-sdk/otel': [resolve(root, 'src/otel/index.ts')],
        'softtoken-sdk/pkcs11': [resolve(root, 'src/pkcs11/index.ts')],
      },
    };
    const snippets = new Map(blocks.map((block, index) => [resolve(root, `examples/readme-snippet-${String(index)}.ts`), block.body]));
    const disk = ts.createCompilerHost(options);
    const host: ts.CompilerHost = {
      ...disk,
      getSourceFile: (fileName, language, ...rest) => {
        const snippet = snippets.get(resolve(fileName));
        return snippet === undefined ? disk.getSourceFile(fileName, language, ...rest) : ts.createSourceFile(fileName, snippet, language, true);
      },
      fileExists: (fileName) => snippets.has(resolve(fileName)) || disk.fileExists(fileName),
      readFile: (fileName) => snippets.get(resolve(fileName)) ?? disk.readFile(fileName),
    };
    const program = ts.createProgram([...snippets.keys()], options, host);
    const problems = [...snippets.keys()].flatMap((fileName) =>
      ts.getPreEmitDiagnostics(program, program.getSourceFile(fileName)).map((diagnostic) => {
        const where = diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        return `${diagnostic.file?.fileName ?? '?'}:${String((where?.line ?? 0) + 1)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      }),
    );
    expect(problems).toEqual([]);
  });
});
