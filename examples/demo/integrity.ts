/**
 * The end of the demo: the last lines of the audit trail, then every stream's hash chain checked
 * event by event, and the whole store checked end to end.
 */
import * as E from 'fp-ts/lib/Either.js';
import { type StoredEvent } from '../../src/index.js';
import { verifyStream } from '../../src/store/verify-chain.js';
import { auditScreen, table, screen } from './screens.js';
import type { Stage } from './stage.js';
import type { World } from './world.js';

const PAGE = 1000;

const everyEvent = async (stage: Stage, world: World): Promise<readonly StoredEvent[]> => {
  const events: StoredEvent[] = [];
  for (;;) {
    const page = await stage.read('the event log', world.sdk.store.readAll({ fromPosition: events.at(-1)?.globalPosition ?? 0, limit: PAGE }));
    events.push(...page);
    if (page.length < PAGE) return events;
  }
};

export const integrity = async (stage: Stage, world: World, names: ReadonlyMap<string, string>, auditLines: number): Promise<void> => {
  stage.section('6. The audit trail and the hash chains');
  auditScreen(stage.print, 'Audit trail (who, what, confirmed how)', await stage.read('the audit trail', world.sdk.views.audit({ pageSize: auditLines })), names);

  const streams = new Map<string, { events: number; head: string }>();
  for (const event of await everyEvent(stage, world)) streams.set(event.streamId, { events: (streams.get(event.streamId)?.events ?? 0) + 1, head: event.hash });
  const rows: string[][] = [];
  let intact = 0;
  for (const [streamId, { events, head }] of streams) {
    const report = await verifyStream(world.sdk.store, streamId)();
    const holds = E.isRight(report) && report.right.ok && report.right.eventsChecked === events;
    if (holds) intact++;
    rows.push([streamId, String(events), `${head.slice(0, 16)}…`, holds ? 'intact' : 'BROKEN']);
  }
  screen(stage.print, 'Hash chains, stream by stream', table(['Stream', 'Events', 'Head hash', 'Chain'], rows));
  stage.check(`every stream's hash chain holds`, intact === streams.size, `${intact} of ${streams.size} streams`);
  const all = await stage.read('the store-wide check', world.sdk.verify());
  stage.check(
    'the whole store verifies end to end',
    all.ok,
    all.ok ? `${all.eventsChecked} events in ${all.streamsChecked} streams, every hash and link recomputed` : all.firstBreak.message,
  );
};
