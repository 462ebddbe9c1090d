/**
 * The example service on PostgreSQL: `DATABASE_URL=postgres://… npx tsx examples/http/main-postgres.ts`.
 * The vault here is in memory, so tokens stop working when the process ends: see postgres.ts.
 */
import * as E from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { inMemoryDirectory } from '../../src/index.js';
import { internacionalPeople } from '../demo/internacional.js';
import { occidentePeople } from '../demo/occidente.js';
import { postgresSdk } from './postgres.js';
import { demoAuthentication, startService } from './service.js';

const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'] });
pool.on('error', () => {
  // node-postgres reports idle connections that die here; the next query opens a new one.
});
const sdk = await postgresSdk(pool, { directory: inMemoryDirectory([...occidentePeople, ...internacionalPeople]) })();
if (E.isLeft(sdk)) {
  console.error(`cannot start: ${sdk.left.code} ${sdk.left.message}`);
  await pool.end();
  process.exit(1);
}
const service = await startService(sdk.right, { authenticate: demoAuthentication, port: Number(process.env['PORT'] ?? '8080') });
console.log(`softtoken-sdk example service on ${service.url} (PostgreSQL; Ctrl-C stops it)`);
