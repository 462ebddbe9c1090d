/**
 * Runs every benchmark in bench/ (files named `*.bench.ts`), each in its own process so one
 * cannot warm up or pollute the heap of the next. `npm run bench -- otp` runs only the names
 * that contain "otp".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const filter = process.argv[2] ?? '';
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts') && file.includes(filter))
  .sort();

if (benches.length === 0) {
  console.log(`no benchmark matches "${filter}"`);
  process.exit(1);
}

let failed = 0;
for (const file of benches) {
  console.log(`\n### ${file}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
