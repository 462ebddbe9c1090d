import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering rule of docs/architecture.md, checked on the files themselves, so that it holds even if
// the lint configuration is edited: src/domain is the pure floor and imports nothing above it.

const repoRoot = resolve(import.meta.dirname, '../..');
const domainRoot = join(repoRoot, 'src/domain');

/** Folders of `src` that the domain must never import: the shell and its ports. */
const SHELL_FOLDERS = ['commands', 'sdk', 'projections', 'store', 'postgres', 'ports'] as const;
/** fp-ts modules that carry effects (Task, TaskEither, ReaderTaskEither, ...). */
const EFFECT_MODULE = /^fp-ts\/(lib\/|es6\/)?\w*Task/;

const typeScriptFiles = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

/** Every module specifier of a source: static imports and re-exports (type-only included), dynamic imports. */
const specifiersOf = (source: string): string[] => {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\bimport\s*['"]([^'"]+)['"]/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) if (match[1] !== undefined) found.push(match[1]);
  return found;
};

/** The imports of one domain file that climb out of the pure floor, as `specifier (why)`. */
const upwardImports = (file: string, source: string): string[] =>
  specifiersOf(source).flatMap((specifier) => {
    if (EFFECT_MODULE.test(specifier)) return [`${specifier} (effects)`];
    if (!specifier.startsWith('.')) return [];
    const target = relative(join(repoRoot, 'src'), resolve(dirname(file), specifier)).split('\\').join('/');
    const folder = target.split('/')[0];
    return SHELL_FOLDERS.some((shell) => shell === folder) ? [`${specifier} (src/${folder})`] : [];
  });

describe('layering: src/domain imports nothing above it', () => {
  it('recognises an upward import, so the check below can fail', () => {
    const file = join(domainRoot, 'order/example.ts');
    const source = [
      "import type { HandlerContext } from '../../commands/command-handler.js';",
      "import * as TE from 'fp-ts/lib/TaskEither.js';",
      "export type { Random } from '../../ports/random.js';",
      "const store = () => import('../../store/event-store.js');",
      "import { OrderIdsCodec } from './commands.js';",
      "import * as E from 'fp-ts/lib/Either.js';",
      "import type { StreamFold } from '../../events/stream-fold.js';",
    ].join('\n');
    expect([...upwardImports(file, source)].sort()).toEqual([
      '../../commands/command-handler.js (src/commands)',
      '../../ports/random.js (src/ports)',
      '../../store/event-store.js (src/store)',
      'fp-ts/lib/TaskEither.js (effects)',
    ]);
  });

  it('no file of src/domain imports the shell, its ports or an effect type', () => {
    const files = typeScriptFiles(domainRoot);
    expect(files.length).toBeGreaterThan(30);
    const offences = files.flatMap((file) => upwardImports(file, readFileSync(file, 'utf8')).map((what) => `${relative(repoRoot, file)}: ${what}`));
    expect(offences).toEqual([]);
  });
});
