/**
 * Debian's Chromium, driven by playwright-core (which never downloads a browser of its own).
 * When it is missing the browser tests fail with a message saying how to install it, unless
 * SOFTTOKEN_SKIP_BROWSER_TESTS=1 asks explicitly to skip them.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** True when the browser tests were explicitly opted out of. */
export const browserTestsSkipped = process.env['SOFTTOKEN_SKIP_BROWSER_TESTS'] === '1';

/** Where each test saves its screenshots (CI keeps the folder; git ignores it). */
export const SCREENSHOTS = 'test-results/screenshots';

/** Launches Chromium headless, or fails saying why and what to do. */
export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM_PATH}: install it (apt-get install -y chromium), point CHROMIUM_PATH at it, ` +
        'or set SOFTTOKEN_SKIP_BROWSER_TESTS=1 to skip the browser tests explicitly',
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
};
