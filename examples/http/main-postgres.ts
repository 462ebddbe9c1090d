/**
 * The example service on PostgreSQL:
 * `DATABASE_URL=postgres://… SOFTTOKEN_KEK=$(openssl rand -base64 32) npx tsx examples/http/main-postgres.ts`.
 * Seeds and activation codes live in the PostgreSQL secret vault, wrapped by the key in
 * SOFTTOKEN_KEK (keep it: without it no token works after a restart). In production an HSM holds it:
 * set SOFTTOKEN_PKCS11_LIBRARY, SOFTTOKEN_PKCS11_TOKEN, SOFTTOKEN_PKCS11_PIN and SOFTTOKEN_PKCS11_KEYS (labels,
 * current first) instead. The only in-memory port is the Directory, a stand-in for the bank's user systems.
 */
import * as E from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { inMemoryDirectory } from '../../src/index.js';
import { internacionalPeople } from '../demo/internacional.js';
import { occidentePeople } from '../demo/occidente.js';
import { pkcs11KeyProvider } from '../../src/pkcs11/index.js';
import { localKeyProvider, type KeyProvider } from '../../src/postgres/index.js';
import { postgresSdk } from './postgres.js';
import { demoAuthentication, startService } from './service.js';

const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'] });
pool.on('error', () => {
  // node-postgres reports idle connections that die here; the next query opens a new one.
});
/** The key provider: an HSM through PKCS#11 when SOFTTOKEN_PKCS11_LIBRARY is set, else the local key in SOFTTOKEN_KEK. */
const keyProvider = (): KeyProvider | undefined => {
  const library = process.env['SOFTTOKEN_PKCS11_LIBRARY'];
  if (library !== undefined && library !== '') {
    return pkcs11KeyProvider({
      library,
      tokenLabel: process.env['SOFTTOKEN_PKCS11_TOKEN'] ?? 'softtoken',
      pin: process.env['SOFTTOKEN_PKCS11_PIN'] ?? '',
      keyLabels: (process.env['SOFTTOKEN_PKCS11_KEYS'] ?? 'kek').split(','),
    });
  }
  const kek = Buffer.from(process.env['SOFTTOKEN_KEK'] ?? '', 'base64');
  if (kek.length !== 32) return undefined;
  const local = localKeyProvider([{ key: kek }]);
  kek.fill(0);
  return local;
};
const keys = keyProvider();
if (keys === undefined) {
  console.error('cannot start: set SOFTTOKEN_KEK to a 32-byte key in base64 (for example: openssl rand -base64 32), or SOFTTOKEN_PKCS11_LIBRARY (with _TOKEN, _PIN, _KEYS) for an HSM');
  process.exit(1);
}
const sdk = await postgresSdk(pool, { keys, directory: inMemoryDirectory([...occidentePeople, ...internacionalPeople]) })();
if (E.isLeft(sdk)) {
  console.error(`cannot start: ${sdk.left.code} ${sdk.left.message}`);
  await pool.end();
  process.exit(1);
}
const service = await startService(sdk.right, { authenticate: demoAuthentication, port: Number(process.env['PORT'] ?? '8080') });
console.log(`softtoken-sdk example service on ${service.url} (PostgreSQL; Ctrl-C stops it)`);
