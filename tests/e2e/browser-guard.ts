// Browser tests need a real Chromium. Locally, without one, they are skipped with a clear
// message; in CI (CI set) a missing browser is a failure, never a silent skip.
import { findChromium } from './browser.ts';

export const chromiumPath = findChromium();

if (!chromiumPath) {
  const message =
    'No Chromium found (looked for CHROMIUM_PATH, /usr/bin/chromium): browser tests cannot run. ' +
    'Install it with "apt-get install -y chromium".';
  if (process.env.CI) throw new Error(`${message} CI is set, so this is a failure.`);
  console.warn(`SKIPPING browser tests. ${message}`);
}

export const haveBrowser = chromiumPath !== undefined;
