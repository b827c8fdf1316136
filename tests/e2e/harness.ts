// What every browser test needs: a built site served by bin/serve.ts, a headless Chromium
// (tests/e2e/browser.ts), a page opened with everything that went wrong on it recorded,
// and an axe-core check. The e2e files use these so that a rule (what counts as a failed
// request, when a missing browser skips and when it fails) is written once.
//
// Browser tests need a real Chromium. Locally, without one, they are skipped with a clear
// message; in CI (CI set) a missing browser is a failure, never a silent skip.
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { serve, type RunningServer } from '../../bin/serve.ts';
import { findChromium, launchBrowser } from './browser.ts';
import { assertBuilt, type BuiltSite } from './sites.ts';

export const chromiumPath = findChromium();

if (!chromiumPath) {
  const message =
    'No Chromium found (looked for CHROMIUM_PATH, /usr/bin/chromium): browser tests cannot run. ' +
    'Install it with "apt-get install -y chromium".';
  if (process.env.CI) throw new Error(`${message} CI is set, so this is a failure.`);
  console.warn(`SKIPPING browser tests. ${message}`);
}

export const haveBrowser = chromiumPath !== undefined;

/** `describe` when there is a Chromium to run in, `describe.skip` otherwise (see above). */
export const describeBrowser = haveBrowser ? describe : describe.skip;

export interface ServerOptions {
  /** Send the site's Content-Security-Policy (default true, as bin/serve.ts does). */
  readonly csp?: boolean;
}

/** Serves a built site under its base path; throws if it has not been built. */
export async function startServer(site: BuiltSite, options: ServerOptions = {}): Promise<RunningServer> {
  assertBuilt(site);
  return serve({ dir: site.dir, base: site.base, csp: options.csp });
}

/** Launches headless Chromium; only called where describeBrowser found one, so a failure here is an error. */
export async function startBrowser(): Promise<Browser> {
  const browser = await launchBrowser();
  if (!browser) throw new Error('Chromium failed to launch');
  return browser;
}

export interface BrowserSite {
  readonly browser: Browser;
  readonly server: RunningServer;
  /** The served site's root URL, base path included, e.g. http://127.0.0.1:4321/course/ */
  readonly url: string;
  /** The context shared by the block's tests; only there when `context` options were given. */
  readonly context: BrowserContext;
}

export interface BrowserSiteOptions extends ServerOptions {
  /** Open one context for the whole block, with these options. */
  readonly context?: BrowserContextOptions;
}

/**
 * Serves `site` and launches Chromium before the enclosing describe block's tests, and
 * closes both (and the shared context, if any) after them. Call it inside the block;
 * read the fields only inside hooks and tests.
 */
export function useBrowserSite(site: BuiltSite, options: BrowserSiteOptions = {}): BrowserSite {
  let browser: Browser | undefined;
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startServer(site, options);
    browser = await startBrowser();
    if (options.context) context = await browser.newContext(options.context);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`No ${what}: used outside a test, or not asked for`);
    return value;
  };
  return {
    get browser() {
      return ready(browser, 'browser');
    },
    get server() {
      return ready(server, 'server');
    },
    get url() {
      return ready(server, 'server').url;
    },
    get context() {
      return ready(context, 'shared context');
    },
  };
}

export interface OpenOptions {
  /** Add the problems to this list (several pages, one verdict) instead of a new one. */
  readonly problems?: string[];
  /** Also record Content-Security-Policy violations, from the page's first script on. */
  readonly csp?: boolean;
}

export interface OpenPage {
  readonly page: Page;
  /** Console errors, uncaught exceptions, failed requests and same-origin HTTP errors. */
  readonly problems: string[];
  /** Every URL the page requested, in order. */
  readonly requests: string[];
}

/** Opens `url` in a new page of `context` and waits for the network to go quiet. */
export async function open(context: BrowserContext, url: string, options: OpenOptions = {}): Promise<OpenPage> {
  const page = await context.newPage();
  const problems = options.problems ?? [];
  const requests: string[] = [];
  const origin = new URL(url).origin;
  page.on('console', (message) => {
    if (message.type() === 'error' || (options.csp && /Content Security Policy/i.test(message.text()))) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  page.on('response', (response) => {
    // The page itself may be an error page on purpose (the 404 page); its status is the test's to check.
    if (response.url().startsWith(origin) && response.status() >= 400 && response.url() !== url) {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    // ERR_ABORTED is the browser cancelling its own request (a link prefetch cut short by
    // navigating away), not the site failing to serve it.
    if (reason !== 'net::ERR_ABORTED') problems.push(`failed: ${request.url()} ${reason}`);
  });
  if (options.csp) {
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
  }
  await page.goto(url, { waitUntil: 'networkidle' });
  return { page, problems, requests };
}

/**
 * A figure, scrolled into view so that its client:visible island hydrates, once it has:
 * Astro removes the island's `ssr` attribute after hydration. (Before that its buttons
 * are only server-rendered HTML and a click does nothing useful.)
 */
export async function figure(page: Page, selector: string): Promise<Locator> {
  const fig = page.locator(selector);
  await fig.scrollIntoViewIfNeeded();
  await page.locator(`astro-island:not([ssr]) ${selector}`).waitFor({ timeout: 15_000 });
  return fig;
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * The serious and critical axe-core violations on the page as it is now, one line each.
 * axe goes in as an inline script, which the site's Content-Security-Policy forbids: the
 * page's context needs `bypassCSP: true` (csp.test.ts checks the policy itself).
 */
export async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe.run();
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `axe ${v.impact} ${v.id} — ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
