/**
 * `npm run docs:diagrams`: writes the README's generated sections (the lifecycle diagrams and
 * command tables from the transition tables in code, the policy defaults, the error codes from
 * the `SdkError` catalogue) between their marker comments. `--check` only reports drift, with
 * exit code 1. Another file than the README may be named as an argument.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readmeBlocks, rewriteReadme } from './readme-blocks.js';

const args = process.argv.slice(2);
const checkOnly = args.includes('--check');
const readmePath = resolve(args.find((arg) => !arg.startsWith('--')) ?? resolve(import.meta.dirname, '..', 'README.md'));
const before = readFileSync(readmePath, 'utf8');
const { text, missing } = rewriteReadme(before, readmeBlocks());

if (missing.length > 0) {
  console.error(`${readmePath} lacks the markers of: ${missing.join(', ')}`);
  process.exitCode = 1;
} else if (text === before) {
  console.log(`${readmePath}: generated sections are up to date`);
} else if (checkOnly) {
  console.error(`${readmePath}: generated sections differ from the code; run npm run docs:diagrams`);
  process.exitCode = 1;
} else {
  writeFileSync(readmePath, text);
  console.log(`${readmePath}: generated sections rewritten`);
}
