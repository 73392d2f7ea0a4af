/**
 * A summary with its charts and key result tables in the sandbox, in Chromium: the charts are drawn,
 * the table sorts by a column and pages, and the App Home shows "My key results" as a table.
 * Screenshots go to test-results/sandbox-charts/; with UPDATE_SCREENSHOTS=1 the summary's picture
 * also replaces docs/screenshots/summary-charts.png (the one in the README).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { hasChromium, startBrowserSandbox } from './browser-sandbox.js';

const SHOTS = join(process.cwd(), 'test-results', 'sandbox-charts');
const README_SHOT = join(process.cwd(), 'docs', 'screenshots', 'summary-charts.png');

const ANA = 'UANA00001';
const GENERAL = 'CGENERAL01';

let sandbox: Sandbox;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

describe.skipIf(!hasChromium)('summary charts and tables in the sandbox', { timeout: 30_000 }, () => {
  beforeAll(async () => {
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    ({ sandbox, browser, page } = await startBrowserSandbox({ pageErrors, viewport: { width: 1280, height: 2200 } }));
    await page.locator('#user-picker').selectOption(ANA);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('posts a summary whose charts are drawn and whose table sorts and pages', async () => {
    await page.locator(`.nav-item[data-channel="${GENERAL}"]`).click();
    await page.locator('#composer-input').fill('/kr summary');
    await page.locator('#composer-input').press('Enter');
    const post = page.locator('.message.ephemeral').getByRole('button', { name: 'Post to #general' });
    await post.waitFor({ timeout: 10_000 });
    await post.click();
    await page.locator('.message.ephemeral', { hasText: 'Posted the summary' }).waitFor();

    const summary = page.locator('.message:not(.ephemeral)', { has: page.locator('.data-visualization') }).first();
    await summary.waitFor();
    const charts = summary.locator('.data-visualization');
    expect(await charts.count()).toBe(2);
    expect(await charts.nth(0).locator('.chart-title').textContent()).toMatch(/^Progress per (owner|objective)$/);
    expect(await charts.nth(0).locator('svg rect').count()).toBeGreaterThan(2);
    expect(await charts.nth(1).locator('svg polyline').count()).toBeGreaterThan(0);
    await summary.getByText(/^:bar_chart:|📊|Progress per (owner|objective):/).first().waitFor();

    const table = summary.locator('.data-table').first();
    await table.waitFor();
    const posted = sandbox.runtime.slack.messages(GENERAL).find((m) => JSON.stringify(m.blocks).includes('data_table'))!;
    const tableBlock = (posted.blocks as Array<{ type: string; rows?: unknown[][]; page_size?: number }>).find((b) => b.type === 'data_table')!;
    const dataRows = tableBlock.rows!.length - 1;
    expect(await table.locator('tbody tr').count()).toBe(Math.min(dataRows, tableBlock.page_size!));
    await summary.scrollIntoViewIfNeeded();
    await summary.screenshot({ path: join(SHOTS, 'summary-charts.png') });
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(join(process.cwd(), 'docs', 'screenshots'), { recursive: true });
      await summary.screenshot({ path: README_SHOT });
    }

    // Sort by progress: numbers, ascending, then descending.
    const progress = async () => (await table.locator('tbody tr td.number').allTextContents()).filter((t) => t.endsWith('%')).map((t) => Number(t.replace(/[%,]/g, '')));
    await table.locator('thead th', { hasText: 'Progress' }).click();
    const ascending = await progress();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await table.locator('thead th', { hasText: 'Progress' }).click();
    const descending = await progress();
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await summary.screenshot({ path: join(SHOTS, 'summary-table-sorted.png') });

    if (dataRows > tableBlock.page_size!) {
      const pager = summary.locator('.table-pager').first();
      await pager.getByRole('button', { name: 'Next' }).click();
      expect(await pager.locator('.table-page').textContent()).toMatch(new RegExp(`^${tableBlock.page_size! + 1}–`));
      await summary.screenshot({ path: join(SHOTS, 'summary-table-page-2.png') });
    }
    expect(pageErrors).toEqual([]);
  });

  it('shows My key results as a table on the App Home tab', async () => {
    const dm = sandbox.runtime.slack.dmChannelId(ANA);
    await page.locator(`.nav-item[data-channel="${dm}"]`).click();
    await page.locator('.tab[data-tab="home"]').click();
    const table = page.locator('#home .data-table');
    await table.waitFor();
    expect(await table.locator('caption').textContent()).toMatch(/^My key results/);
    await page.locator('#home').getByText('Engineers hired').first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'app-home-table.png') });
    await page.locator('.tab[data-tab="messages"]').click();
  });
});
