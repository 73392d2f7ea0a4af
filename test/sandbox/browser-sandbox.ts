/**
 * The sandbox and a headless Debian Chromium driving its page, as the browser tests start them: one
 * place for the Chromium flags this machine needs and for the page's error capture.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLogger } from '../../src/logger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags Chromium's connections are refused by this machine's closed network. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const hasChromium = existsSync(CHROMIUM);

export interface BrowserSandbox {
  sandbox: Sandbox;
  browser: Browser;
  page: Page;
}

export interface BrowserSandboxOptions {
  /** Where the app's warnings and errors go (one JSON line each); silent without it. */
  logs?: string[];
  /** Where uncaught errors of the page go. */
  pageErrors: string[];
  viewport?: { width: number; height: number };
  /** Listeners to attach before the page first loads (console, requests). */
  beforeLoad?: (page: Page) => void;
}

/** Starts the sandbox on a fresh data folder and a page showing it, ready to click. */
export async function startBrowserSandbox(options: BrowserSandboxOptions): Promise<BrowserSandbox> {
  const { logs } = options;
  const logger = logs
    ? createLogger({
        level: 'warn',
        destination: new Writable({
          write(chunk, _encoding, done) {
            logs.push(String(chunk));
            done();
          },
        }),
      })
    : createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const [sandbox, browser] = await Promise.all([
    startSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'kr-sandbox-')), startScheduler: false, logger }),
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
  ]);
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1280, height: 860 } });
  // Shorter than the test timeout, so a missing element fails with Playwright's own message.
  page.setDefaultTimeout(12_000);
  page.on('pageerror', (error) => options.pageErrors.push(error.message));
  options.beforeLoad?.(page);
  await page.goto(sandbox.url);
  await page.locator('.nav-item').first().waitFor();
  return { sandbox, browser, page };
}

/** Types `text` into the composer and presses Enter, as a person sends a message or a slash command. */
export async function command(page: Page, text: string): Promise<void> {
  await page.locator('#composer-input').fill(text);
  await page.locator('#composer-input').press('Enter');
}

/** A key result of the demo account by its name. */
export function metricNamed(sandbox: Sandbox, name: string) {
  const metric = sandbox.runtime.gtmhub.state.metrics.find((m) => m.name === name);
  if (!metric) throw new Error(`no demo key result named ${name}`);
  return metric;
}
