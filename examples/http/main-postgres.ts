/**
 * The example service on PostgreSQL:
 * `DATABASE_URL=postgres://… SOFTTOKEN_KEK=$(openssl rand -base64 32) npx tsx examples/http/main-postgres.ts`.
 * Seeds and activation codes live in the PostgreSQL secret vault, wrapped by the key in
 * SOFTTOKEN_KEK (keep it: without it no token works after a restart). In production an HSM or a KMS holds it.
 */
import * as E from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { inMemoryDirectory } from '../../src/index.js';
import { internacionalPeople } from '../demo/internacional.js';
import { occidentePeople } from '../demo/occidente.js';
import { localKeyProvider } from '../../src/postgres/index.js';
import { postgresSdk } from './postgres.js';
import { demoAuthentication, startService } from './service.js';

const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'] });
pool.on('error', () => {
  // node-postgres reports idle connections that die here; the next query opens a new one.
});
const kek = Buffer.from(process.env['SOFTTOKEN_KEK'] ?? '', 'base64');
if (kek.length !== 32) {
  console.error('cannot start: set SOFTTOKEN_KEK to a 32-byte key in base64 (for example: openssl rand -base64 32)');
  process.exit(1);
}
const keys = localKeyProvider([{ key: kek }]);
kek.fill(0);
const sdk = await postgresSdk(pool, { keys, directory: inMemoryDirectory([...occidentePeople, ...internacionalPeople]) })();
if (E.isLeft(sdk)) {
  console.error(`cannot start: ${sdk.left.code} ${sdk.left.message}`);
  await pool.end();
  process.exit(1);
}
const service = await startService(sdk.right, { authenticate: demoAuthentication, port: Number(process.env['PORT'] ?? '8080') });
console.log(`softtoken-sdk example service on ${service.url} (PostgreSQL; Ctrl-C stops it)`);
