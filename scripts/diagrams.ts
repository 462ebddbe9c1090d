/**
 * `npm run docs:diagrams`: writes the README's generated sections (the lifecycle diagrams and
 * command tables from the transition tables in code, the error codes from the `SdkError`
 * catalogue) between their marker comments. `--check` only reports drift, with exit code 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readmeBlocks, rewriteReadme } from './readme-blocks.js';

const readmePath = resolve(import.meta.dirname, '..', 'README.md');
const checkOnly = process.argv.includes('--check');
const before = readFileSync(readmePath, 'utf8');
const { text, missing } = rewriteReadme(before, readmeBlocks());

if (missing.length > 0) {
  console.error(`README.md lacks the markers of: ${missing.join(', ')}`);
  process.exitCode = 1;
} else if (text === before) {
  console.log('README.md: generated sections are up to date');
} else if (checkOnly) {
  console.error('README.md: generated sections differ from the code; run npm run docs:diagrams');
  process.exitCode = 1;
} else {
  writeFileSync(readmePath, text);
  console.log('README.md: generated sections rewritten');
}
