import * as E from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createSdk } from '../../src/sdk/create-sdk.js';
import { postgresEventStore } from '../../src/postgres/event-store.js';
import { output, user } from '../sdk/harness.js';
import { admin, appWorld, confirmByApp } from '../token/app-world.js';
import { announceSkip, databaseUrl, freshStore, needsServer, rightOf, useTestDatabase } from './support/database.js';

announceSkip('app-confirmation.test.ts');

describe.skipIf(databaseUrl === undefined)(`an app confirmation on two SDK instances (${databaseUrl === undefined ? needsServer : 'PostgreSQL'})`, () => {
  const database = useTestDatabase(4);

  it('one challenge answered twice at once, on two instances, is accepted once', async () => {
    const store = await freshStore(database());
    const world = await appWorld({ store });
    const otherPool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    try {
      // A second instance: its own connections and caches, the same database, directory and vault.
      const other = createSdk({ store: postgresEventStore(otherPool, { schema: store.schema }), clock: world.clock, directory: world.directory, vault: world.vault, activationCodeDelivery: world.outbox });
      for (let round = 0; round < 5; round++) {
        const { serial } = output<{ readonly serial: string }>(await world.ok(user('acme', 'bob'), { type: 'RequestTokenAssignment' }));
        const assign = { type: 'ConfirmTokenAssignment', serial };
        rightOf(await world.send(admin, { ...assign, confirmation: (await confirmByApp(world.send, admin, world.adminPhone, assign)).confirmation }));
        // A reissue may follow a reissue: only the challenge tells the two apart.
        const reissue = { type: 'ReissueActivationCode', serial };
        const { confirmation, challenge } = await confirmByApp(world.send, admin, world.adminPhone, reissue);
        const command = { ...reissue, actor: admin, confirmation };
        const results = await Promise.all([
          world.sdk.dispatchJson({ ...command, commandId: `one-${String(round)}` })(),
          other.dispatchJson({ ...command, commandId: `two-${String(round)}` })(),
        ]);
        expect(results.filter(E.isRight)).toHaveLength(1);
        expect(results.filter(E.isLeft).map((result) => result.left)).toMatchObject([{ _tag: 'OtpRejected', reason: 'replay' }]);
        const adminStream = rightOf(await store.readStream(`token-${world.adminSerial}`)());
        const accepted = adminStream.filter((event) => event.type === 'ConfirmationAccepted' && (event.data as { readonly challengeId?: unknown }).challengeId === challenge.challengeId);
        expect(accepted).toHaveLength(1);
        rightOf(await world.send(admin, { type: 'DeleteToken', serial, confirmation: (await confirmByApp(world.send, admin, world.adminPhone, { type: 'DeleteToken', serial })).confirmation }));
      }
    } finally {
      await otherPool.end();
    }
  });
});
