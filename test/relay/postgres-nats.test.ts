import { isLeft } from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/events/envelope.js';
import { consumeEvents, natsJetStreamPublisher } from '../../src/nats/index.js';
import { encodeBase32 } from '../../src/otp/base32.js';
import type { PgPool } from '../../src/postgres/client.js';
import { postgresCheckpointStore } from '../../src/postgres/checkpoint-store.js';
import { postgresEventStore } from '../../src/postgres/event-store.js';
import { allEvents, runRelay } from '../../src/relay/index.js';
import type { Publisher } from '../../src/relay/index.js';
import { activeToken, configure } from '../sdk/fixtures.js';
import { harness, person, recordingVault, user } from '../sdk/harness.js';
import { databaseUrl, freshStore, needsServer, openTestDatabase, rightOf } from '../postgres/support/database.js';
import type { TestDatabase } from '../postgres/support/database.js';
import { everyEvent } from './support/bulk.js';
import { dyingRelay } from './support/crash.js';
import { natsUrl, needsNats, openNats } from './support/nats.js';
import type { TestNats } from './support/nats.js';
import { expectPublishedOnceInOrder } from './support/published.js';
import { leakedIn, readableText, SECRET_FIELDS, seedForms } from './support/secrets.js';

const CO = 'acme';
const admin = user(CO, 'ada');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo'), person(CO, 'cy'), person(CO, 'di')];
const missing = [databaseUrl === undefined ? needsServer : '', natsUrl === undefined ? needsNats : ''].filter((why) => why !== '').join('; ');

describe.skipIf(missing !== '')(`events of two SDK instances on PostgreSQL, relayed to NATS (${missing === '' ? 'real servers' : missing})`, () => {
  let db: TestDatabase;
  let otherPool: PgPool & { end: () => Promise<void> };
  let nats: TestNats;
  beforeAll(async () => {
    db = await openTestDatabase(4);
    otherPool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    nats = await openNats();
  });
  afterAll(async () => {
    await nats.close();
    await otherPool.end();
    await db.close();
  });

  it('publishes each event once, in order per stream, under one relay owner at a time, across three kills, and no secret', async () => {
    const store = await freshStore(db);
    const vault = recordingVault();
    // Two backends of one bank: one schema, one vault, each its own pool.
    const one = harness(people, { store, vault }, 1);
    const twoWorld = harness(people, { store: postgresEventStore(otherPool, { schema: store.schema }), vault }, 2);
    // The harness numbers its commands from 1 in each world: the second world's get their own ids.
    let sent = 0;
    const two = { ...twoWorld, ok: (actor: Actor, command: Record<string, unknown>) => twoWorld.ok(actor, { commandId: `two-${String(++sent)}`, ...command }) };
    await configure(one, CO, 10);
    const ada = await activeToken(one, admin, admin);
    await activeToken(two, admin, user(CO, 'bo'), ada.app);
    one.clock.advance(600_000);
    await activeToken(one, admin, user(CO, 'cy'), ada.app);
    two.clock.advance(1_200_000);
    await activeToken(two, admin, user(CO, 'di'), ada.app);
    const events = await everyEvent(store);
    expect(new Set(events.map((event) => event.type))).toContain('TokenAssignmentConfirmed');

    const stream = await nats.freshStream();
    const route = allEvents(stream.prefix);
    const publisher = natsJetStreamPublisher(nats.js);
    // Two relay instances, each with its own connections: while one relays, the other stands by.
    const checkpointsOne = postgresCheckpointStore(db.pool, { schema: store.schema });
    const checkpointsTwo = postgresCheckpointStore(otherPool, { schema: store.schema });
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = (): void => undefined;
    const holding = new Promise<void>((resolve) => {
      started = resolve;
    });
    const gated: Publisher = {
      publish: async (message) => {
        started();
        await held;
        return publisher.publish(message);
      },
    };
    const dyingOne = dyingRelay(gated, checkpointsOne, 5);
    const first = runRelay(store, dyingOne.checkpoints, dyingOne.publisher, { route, batchSize: 4 })();
    await holding;
    expect(rightOf(await runRelay(store, checkpointsTwo, publisher, { route, batchSize: 4 })())).toEqual({ owned: false });
    release();
    expect(isLeft(await first)).toBe(true);
    // Two more kills, alternating instances, then a run to the end.
    const dyingTwo = dyingRelay(publisher, checkpointsTwo, 7);
    expect(isLeft(await runRelay(store, dyingTwo.checkpoints, dyingTwo.publisher, { route, batchSize: 4 })())).toBe(true);
    const dyingThree = dyingRelay(publisher, checkpointsOne, 6);
    expect(isLeft(await runRelay(store, dyingThree.checkpoints, dyingThree.publisher, { route, batchSize: 4 })())).toBe(true);
    const finished = rightOf(await runRelay(store, checkpointsTwo, publisher, { route, batchSize: 4 })());
    expect(finished).toMatchObject({ owned: true, caughtUp: true, position: events.at(-1)?.globalPosition });

    const messages = await nats.messagesOf(stream);
    expectPublishedOnceInOrder(messages, events);

    // No secret in anything published: no seed in any encoding, no activation code, no secret-named field.
    const seeds = vault.everPut().flatMap((seed) => seedForms(seed, encodeBase32));
    const codes = [...one.outbox.messages(), ...two.outbox.messages()].flatMap((sent) => [sent.activationCode, sent.activationCode.replace(/\D/g, '')]);
    expect(seeds.length).toBeGreaterThan(0);
    expect(codes.length).toBeGreaterThan(0);
    for (const message of messages) {
      const text = readableText(message);
      expect(leakedIn(text, [...seeds, ...codes])).toEqual([]);
      expect(text.match(SECRET_FIELDS)?.[0]).toBeUndefined();
    }
    // The scan can find one: the same check on a message that carries a seed fails.
    expect(leakedIn(`{"note":"${seeds[0] ?? ''}"}`, seeds)).not.toEqual([]);

    // And a host consumer sees each of them once.
    await nats.durable(stream, 'notifications', 2_000);
    const seen: string[] = [];
    const consumer = consumeEvents(await nats.js.consumers.get(stream.name, 'notifications'), (event) => {
      seen.push(event.eventId);
      return Promise.resolve();
    });
    const deadline = Date.now() + 30_000;
    while (seen.length < events.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await consumer.stop();
    expect(seen).toEqual(events.map((event) => event.eventId));
  }, 120_000);
});
