/**
 * `npm run demo`: the whole library at work in a few seconds. Exit code 0 only when every step
 * behaved as expected.
 */
import { runDemo } from './run-demo.js';

const ok = await runDemo({ print: (line = '') => { console.log(line); } });
process.exitCode = ok ? 0 : 1;
