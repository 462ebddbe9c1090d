/**
 * The portal of both manuals on a test clock, and the people who use it: one portal tab, and
 * each person's phone in a browser context of its own (its own localStorage), its clock
 * installed at the server's time so that the codes it shows are the server's current ones.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { demoAuthentication, type RunningService } from '../../../examples/http/service.js';
import { manualsCompanies, manualsPeople, setUpManualsWorld, signInList } from '../../../examples/portal/manuals-world.js';
import { startPortal } from '../../../examples/portal/server.js';
import { encodeBase32 } from '../../../src/device/index.js';
import { createSdk, defaultOtpParameters, inMemoryActivationCodeOutbox, inMemoryDirectory } from '../../../src/index.js';
import { PHYSICAL_SERIAL } from '../../../examples/portal/manuals-world.js';
import { manualClock, type ManualClock } from '../../../src/ports/clock.js';
import { SCREENSHOTS } from './chromium.js';

/** The TOTP period of the default parameters. */
export const STEP_MS = 30_000;

/** A person's phone: the page of `softtoken-sdk/device` in its own context. */
export interface Phone {
  readonly page: Page;
  /** The code the phone shows now. */
  readonly code: () => Promise<string>;
  /** The registration code the phone shows after activation. */
  readonly registrationCode: () => Promise<string>;
}

export interface PortalWorld {
  readonly service: RunningService;
  readonly clock: ManualClock;
  readonly portal: Page;
  /** Signs the portal tab in as `actor` (the stand-in's list) and opens `page` (its hash). */
  readonly open: (actor: string, page: 'token-virtual' | 'mantenimiento' | 'ordenes' | 'auditoria') => Promise<void>;
  /** A new phone (a fresh context: empty localStorage), its clock at the server's. */
  readonly phone: () => Promise<Phone>;
  /**
   * VictorP1's hardware token: the phone page holding the seed the vendor's file gave the bank
   * (put in its storage before it loads), so that the device library plays the keyfob too.
   */
  readonly keyfob: () => Promise<Phone>;
  /** Moves the server's clock and every phone's to the next time step, as a user waits for a fresh code. */
  readonly nextStep: (ms?: number) => Promise<void>;
  /** Saves a screenshot of the portal (or `page`) as `name`.png; `docs` also copies it to docs/screenshots. */
  readonly screenshot: (name: string, options?: { readonly page?: Page; readonly docs?: boolean }) => Promise<void>;
  readonly close: () => Promise<void>;
}

const VIEWPORT = { width: 1100, height: 760 };
/** A phone-sized screen for the phone pages. */
const PHONE_VIEWPORT = { width: 390, height: 760 };

/** Forgets which page was ready, so that the next wait sees the next rendering. */
export const unready = async (page: Page): Promise<void> => {
  await page.evaluate('delete document.body.dataset.ready');
};

export const portalWorld = async (browser: Browser, startMs: number): Promise<PortalWorld> => {
  const clock = manualClock(startMs);
  const outbox = inMemoryActivationCodeOutbox();
  const sdk = createSdk({ clock, directory: inMemoryDirectory(manualsPeople), activationCodeDelivery: outbox });
  const { physicalSeed } = await setUpManualsWorld(sdk);
  const service = await startPortal(sdk, { authenticate: demoAuthentication, phone: outbox, people: signInList, companies: manualsCompanies });
  const portalContext = await browser.newContext({ viewport: VIEWPORT });
  const portal = await portalContext.newPage();
  portal.setDefaultTimeout(15_000);
  const contexts: BrowserContext[] = [portalContext];
  const phones: Page[] = [];
  await portal.goto(`${service.url}/portal/`);
  await portal.locator('body[data-ready]').waitFor();

  const newPhone = async (stored?: string): Promise<Phone> => {
    const context = await browser.newContext({ viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });
    contexts.push(context);
    // Page scripts are strings here: the tests compile without the DOM's types.
    if (stored !== undefined) await context.addInitScript(`localStorage.setItem('softtoken-demo-token', ${JSON.stringify(stored)})`);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // The page's clock stands still at the server's time and moves only with nextStep (installed
    // a second early, since pausing only goes forward).
    await page.clock.install({ time: clock.now() - 1000 });
    await page.clock.pauseAt(clock.now());
    await page.goto(`${service.url}/phone/`);
    await page.locator('body[data-ready="phone"]').waitFor();
    phones.push(page);
    return {
      page,
      code: async () => (await page.locator('#current-code').textContent()) ?? '',
      registrationCode: async () => (await page.locator('#registration-code').textContent()) ?? '',
    };
  };

  const open: PortalWorld['open'] = async (actor, page) => {
    if ((await portal.locator('#actor').inputValue()) !== actor) {
      await unready(portal);
      await portal.selectOption('#actor', actor);
      await portal.locator('body[data-ready]').waitFor();
    }
    await unready(portal);
    // The same page again is rendered afresh, as a click on its link would.
    await portal.evaluate(`location.hash === '#${page}' ? window.dispatchEvent(new HashChangeEvent('hashchange')) : (location.hash = '${page}')`);
    await portal.locator(`body[data-ready="${page}"]`).waitFor();
  };

  return {
    service,
    clock,
    portal,
    open,
    phone: () => newPhone(),
    keyfob: () =>
      newPhone(JSON.stringify({ serial: PHYSICAL_SERIAL, seed: encodeBase32(physicalSeed), parameters: defaultOtpParameters })),
    nextStep: async (ms = STEP_MS) => {
      clock.advance(ms);
      for (const page of phones) await page.clock.fastForward(ms);
    },
    screenshot: async (name, options = {}) => {
      const path = `${SCREENSHOTS}/${name}.png`;
      await (options.page ?? portal).screenshot({ path, fullPage: true });
      if (options.docs === true && process.env['UPDATE_DOC_SCREENSHOTS'] === '1') {
        // The README's pictures: what the screen shows, not the whole page, to stay small.
        mkdirSync('docs/screenshots', { recursive: true });
        await (options.page ?? portal).screenshot({ path: `docs/screenshots/${name}.png` });
      }
    },
    close: async () => {
      for (const context of contexts) await context.close();
      await service.close();
    },
  };
};
