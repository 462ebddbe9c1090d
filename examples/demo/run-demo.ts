/**
 * The whole demo: both manuals' token flows, the orders flow, the OTP rule's refusals, the
 * audit trail and the hash chains. Answers whether every step behaved as expected.
 */
import type { SdkConfig } from '../../src/index.js';
import { integrity } from './integrity.js';
import { internacionalFlow, internacionalPeople } from './internacional.js';
import { occidenteFlow, occidentePeople } from './occidente.js';
import { ordersFlow } from './orders.js';
import { dynamicLinkingFlow } from './dynamic-linking.js';
import { refusalsFlow } from './refusals.js';
import { stage, UnexpectedOutcome, type Print } from './stage.js';
import { world } from './world.js';

export interface DemoOptions {
  readonly print: Print;
  /** When the demo's clock starts (default: now, to the second). */
  readonly startMs?: number;
  /** Ports to use instead of the in-memory defaults (a test breaks one to see the demo fail). */
  readonly sdk?: Partial<SdkConfig>;
}

/** Runs the demo; true when every step behaved as expected. Never throws. */
export const runDemo = async (options: DemoOptions): Promise<boolean> => {
  const { print } = options;
  const people = [...occidentePeople, ...internacionalPeople];
  const names = new Map(people.map((entry) => [`${entry.companyId}/${entry.userId}`, entry.displayName]));
  const started = performance.now();
  print('softtoken-sdk demo: createSdk() on its in-memory defaults; softtoken-sdk/device plays the phones.');
  print('The demo\'s clock moves 30 s whenever someone needs a fresh code, instead of waiting for it.');
  const demoWorld = world(people, options.startMs ?? Math.floor(Date.now() / 1000) * 1000, options.sdk);
  const demoStage = stage(demoWorld.sdk, print);
  try {
    await occidenteFlow(demoStage, demoWorld);
    const { mariaSerial } = await internacionalFlow(demoStage, demoWorld);
    await ordersFlow(demoStage, demoWorld, new Map(occidentePeople.map((entry) => [entry.userId, entry.displayName])));
    await dynamicLinkingFlow(demoStage, demoWorld);
    await refusalsFlow(demoStage, demoWorld, mariaSerial);
    await integrity(demoStage, demoWorld, names, 14);
  } catch (error) {
    print();
    if (error instanceof UnexpectedOutcome) {
      print(`FAILED: a step did not behave as expected: ${error.message}`);
    } else {
      print(`FAILED: the demo itself broke: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
    return false;
  }
  print();
  print(`OK: all ${demoStage.steps()} steps behaved as expected (${((performance.now() - started) / 1000).toFixed(1)} s).`);
  return true;
};
