/**
 * One SDK instance in a process of its own, for the multi-process tests:
 *   node --import tsx instance.ts work  <url> <schema> <name> <companyId> <commandIds,…>
 *   node --import tsx instance.ts crash <url> <schema> <name>
 * `work` dispatches a `ReserveSlot` per command (four at a time, through the kernel's command
 * runtime on the PostgreSQL store) while catching the tally projection up
 * whenever it can own it, then prints a JSON summary. `crash` owns the projection, folds one page,
 * saves, and dies on the spot (SIGKILL): no cleanup, no unlock.
 */
import pg from 'pg';
import { postgresCheckpointStore } from '../../../src/postgres/checkpoint-store.js';
import { postgresEventStore } from '../../../src/postgres/event-store.js';
import { ownershipWitness } from './ownership-witness.js';
import { quotaRuntime, reserveSlot } from './quota.js';
import type { ReserveOutcome } from './quota.js';
import { catchUp, fold, PAGE_SIZE, tallyProjection } from './tally.js';

const [mode, url, schema, name, companyId, commandList] = process.argv.slice(2) as [string, string, string, string, string?, string?];
const pool = new pg.Pool({ connectionString: url, max: 6, application_name: name });
pool.on('error', () => undefined);
const store = postgresEventStore(pool, { schema });
// Every owned run counts itself in the ownership witness, which shows two owners at once.
const checkpoints = ownershipWitness(pool, schema).watch(postgresCheckpointStore(pool, { schema }));
const runtime = quotaRuntime(store);

if (mode === 'crash') {
  // The first page folds and is saved; the first event of the second page kills the process.
  await catchUp(store, checkpoints, {
    ...tallyProjection,
    evolve: (state, event) => {
      if (event.globalPosition > PAGE_SIZE) process.kill(process.pid, 'SIGKILL');
      return fold(state, event);
    },
  });
  throw new Error('the projection had nothing to fold');
}

const outcomes: Record<ReserveOutcome, number> = { reserved: 0, exhausted: 0, 'already-applied': 0 };
const queue = (commandList ?? '').split(',');
let dispatching = true;
let ownedRuns = 0;
const project = async (): Promise<void> => {
  while (dispatching) {
    if ((await catchUp(store, checkpoints)).owned) ownedRuns++;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if ((await catchUp(store, checkpoints)).owned) ownedRuns++;
};
const projecting = project();
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let commandId = queue.shift(); commandId !== undefined; commandId = queue.shift()) outcomes[await reserveSlot(runtime, companyId ?? '', commandId)]++;
  }),
);
dispatching = false;
await projecting;
await pool.end();
console.log(JSON.stringify({ outcomes, ownedRuns }));
