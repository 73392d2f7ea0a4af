/**
 * The sandbox in a real browser: Chromium (Debian's package, driven by playwright-core) uses the
 * page the way a person would, and the assertions read the emulators' state. One screenshot per
 * step goes to test-results/sandbox/; with README_SCREENSHOTS=1 (`npm run screenshots`) the README's
 * screenshots go to docs/screenshots/ as well.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { CHROMIUM, command, hasChromium, metricNamed, startBrowserSandbox } from './browser-sandbox.js';
import { SANDBOX_BOT_TOKEN } from '../../src/sandbox/demo-workspace.js';
import { ACTION, BLOCK } from '../../src/slack/ids.js';
import { eventually } from '../support/harness.js';

const SHOTS = join(process.cwd(), 'test-results', 'sandbox');
const README_SHOTS = process.env.README_SCREENSHOTS === '1' ? join(process.cwd(), 'docs', 'screenshots') : null;
if (!hasChromium) console.warn(`Skipping the sandbox browser tests: ${CHROMIUM} is missing (install it with: apt-get install -y chromium).`);

const ANA = 'UANA00001';
const ZOE = 'UZOE00001';
const GENERAL = 'CGENERAL01';

let sandbox: Sandbox;
let browser: Browser;
let page: Page;
const logs: string[] = [];
const pageErrors: string[] = [];
const consoleProblems: string[] = [];
const consoleLog: string[] = [];
let step = 0;

async function shot(name: string): Promise<void> {
  step += 1;
  await page.screenshot({ path: join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: false });
}

/** A screenshot the README shows, retaken by `npm run screenshots`. */
async function readmeShot(name: string): Promise<void> {
  if (!README_SHOTS) return;
  mkdirSync(README_SHOTS, { recursive: true });
  await page.screenshot({ path: join(README_SHOTS, `${name}.png`), fullPage: false });
}

const key = (blockId: string, actionId: string) => `[data-key="${blockId}/${actionId}"]`;
const modal = () => page.locator('#modal-root .modal');

async function actAs(userId: string): Promise<void> {
  await page.locator('#user-picker').selectOption(userId);
  expect(await page.locator('#user-picker').inputValue()).toBe(userId);
  await page.locator('#user-note').getByText(sandbox.runtime.slack.users().find((u) => u.id === userId)!.email!).waitFor();
}

async function openChannel(channelId: string): Promise<void> {
  await page.locator(`.nav-item[data-channel="${channelId}"]`).click();
  await page.locator(`.nav-item.active[data-channel="${channelId}"]`).waitFor();
}

describe.skipIf(!hasChromium)('the sandbox in a browser', { timeout: 30_000 }, () => {
  beforeAll(async () => {
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    ({ sandbox, browser, page } = await startBrowserSandbox({
      logs,
      pageErrors,
      beforeLoad: (page) => {
        page.on('console', (message) => {
          if (message.type() === 'warning' || message.type() === 'error') consoleProblems.push(message.text());
          consoleLog.push(`${Date.now() % 100_000} ${message.type()} ${message.text()}`);
        });
        page.on('request', (request) => consoleLog.push(`${Date.now() % 100_000} request ${request.method()} ${request.url()}`));
        page.on('requestfinished', (request) => consoleLog.push(`${Date.now() % 100_000} finished ${request.method()} ${request.url()}`));
        page.on('requestfailed', (request) => consoleLog.push(`${Date.now() % 100_000} FAILED ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
      },
    }));
  }, 30_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') console.log(consoleLog.join('\n'));
    consoleLog.length = 0;
    if (task.result?.state === 'fail') await shot(`FAILED-${task.name.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    if (pageErrors.length > 0 || consoleProblems.length > 0 || logs.length > 0) console.log({ pageErrors, consoleProblems, logs: logs.slice(-20) });
  });

  it('checks in a key result with /kr checkin and the value lands in Gtmhub', async () => {
    await actAs(ANA);
    await openChannel(GENERAL);
    await shot('ana-in-general');

    await command(page, '/kr checkin');
    const picker = modal().locator(key(BLOCK.keyResult, ACTION.selectKeyResult));
    await picker.waitFor();
    await shot('checkin-modal');

    const metric = metricNamed(sandbox, 'New ARR from EMEA');
    await picker.selectOption(metric.id);
    const value = modal().locator(key(BLOCK.value, ACTION.value));
    await value.waitFor();
    await modal().getByText('Target:').waitFor();
    await value.fill('1300000');
    await modal().locator(key(BLOCK.confidence, ACTION.confidence)).selectOption('0.8');
    await modal().locator(key(BLOCK.comment, ACTION.comment)).fill('Two renewals signed early');
    await shot('checkin-filled');
    await readmeShot('checkin-modal');

    await modal().locator('[data-role="submit"]').click();
    await modal().getByText('is checked in').waitFor();
    await shot('checkin-confirmed');
    expect(await modal().textContent()).toContain('€1,300,000');

    const updated = await eventually(() => (metricNamed(sandbox, 'New ARR from EMEA').actual === 1_300_000 ? metricNamed(sandbox, 'New ARR from EMEA') : undefined));
    const snapshot = sandbox.runtime.gtmhub.state.snapshots.filter((s) => s.metricId === updated.id).at(-1)!;
    expect(snapshot.confidence).toBe(0.8);
    expect(snapshot.comment).toContain('Two renewals signed early');

    await modal().locator('[data-role="close"]').click();
    await modal().waitFor({ state: 'detached' });
  });

  it('shows field errors the Slack client would show', async () => {
    await command(page, '/kr checkin');
    const picker = modal().locator(key(BLOCK.keyResult, ACTION.selectKeyResult));
    await picker.waitFor();
    await picker.selectOption(metricNamed(sandbox, 'Engineers hired').id);
    const value = modal().locator(key(BLOCK.value, ACTION.value));
    await value.waitFor();
    await value.fill('eleven');
    await modal().locator('[data-role="submit"]').click();
    await modal().locator('.field-error').getByText(/whole number|number/).waitFor();
    await shot('checkin-field-error');
    await modal().locator('[data-role="close"]').click();
    await modal().waitFor({ state: 'detached' });
    expect(metricNamed(sandbox, 'Engineers hired').actual).toBe(11);
  });

  it('runs the reminder job, and No change in the DM records the value and updates the message', async () => {
    const snapshotsBefore = sandbox.runtime.gtmhub.state.snapshots.length;
    await page.locator('[data-job="reminders"]').click();
    await page.locator('.job-result[data-job="reminders"]').waitFor();
    await openChannel(sandbox.runtime.slack.dmChannelId(ANA));
    const reminder = page.locator('.message', { hasText: 'due for a check-in' });
    await reminder.waitFor();
    await shot('reminder-dm');
    await readmeShot('reminder-dm');
    // The key result checked in a moment ago is not due any more.
    expect(await reminder.textContent()).not.toContain('New ARR from EMEA');

    // The message keeps its ts when the app updates it in place.
    const dm = page.locator(`.message[data-ts="${await reminder.getAttribute('data-ts')}"]`);
    const firstRow = dm.locator('.block.section').nth(1);
    const rowName = (await firstRow.locator('strong').first().textContent())!.trim();
    await dm.getByRole('button', { name: 'No change', exact: true }).first().click();
    await dm.getByText(/No change \(/).waitFor();
    await shot('reminder-no-change');

    const metric = metricNamed(sandbox, rowName);
    const snapshot = await eventually(() => (sandbox.runtime.gtmhub.state.snapshots.length > snapshotsBefore ? sandbox.runtime.gtmhub.state.snapshots.at(-1) : undefined));
    expect(snapshot.metricId).toBe(metric.id);
    expect(snapshot.value).toBe(metric.actual);
  });

  it('opens the App Home tab', async () => {
    await page.locator('.tab[data-tab="home"]').click();
    await page.locator('#home .block.header', { hasText: 'Your key results' }).waitFor();
    await page.locator('#home .block.section').getByText('Engineers hired').waitFor();
    await shot('app-home');
  });

  it('types ahead in an external select with options from the app', async () => {
    // The check-in picker types ahead only past 100 key results; a Home tab with the same
    // element asks the app's real options endpoint for the demo account's key results.
    const published = await fetch(`${sandbox.runtime.slack.apiUrl}views.publish`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SANDBOX_BOT_TOKEN}` },
      body: JSON.stringify({
        user_id: ANA,
        view: {
          type: 'home',
          blocks: [
            { type: 'input', block_id: BLOCK.keyResult, label: { type: 'plain_text', text: 'Type ahead' }, element: { type: 'external_select', action_id: ACTION.selectKeyResult, min_query_length: 0 } },
          ],
        },
      }),
    });
    expect(((await published.json()) as { ok: boolean }).ok).toBe(true);
    const combo = page.locator(`#home ${key(BLOCK.keyResult, ACTION.selectKeyResult)}`);
    await combo.click();
    await combo.fill('hire');
    const option = page.locator('#home .combo-option', { hasText: 'Engineers hired' });
    await option.waitFor();
    expect(await page.locator('#home .combo-option').count()).toBe(1);
    await shot('external-select');
    await option.click();
    const chosen = await eventually(() => sandbox.runtime.slack.homeView(ANA)?.state.values[BLOCK.keyResult]?.[ACTION.selectKeyResult]?.selected_option);
    expect(chosen.value).toBe(metricNamed(sandbox, 'Engineers hired').id);
    await page.locator('.tab[data-tab="messages"]').click();
  });

  it('posts a summary to a channel from the /kr summary preview', async () => {
    await openChannel(GENERAL);
    await command(page, '/kr summary');
    const post = page.locator('.message.ephemeral').getByRole('button', { name: 'Post to #general' });
    await post.waitFor({ timeout: 10_000 });
    await shot('summary-preview');
    await post.click();
    await page.locator('.message:not(.ephemeral) .block.header').first().waitFor();
    await page.locator('.message.ephemeral', { hasText: 'Posted the summary' }).waitFor();
    await shot('summary-posted');
    if (README_SHOTS) await page.locator('.message:not(.ephemeral) .block.header').first().scrollIntoViewIfNeeded();
    await readmeShot('summary');
    const posted = sandbox.runtime.slack.messages(GENERAL).filter((m) => m.user === sandbox.runtime.slack.bot.userId);
    expect(posted.length).toBeGreaterThan(0);
  });

  it('answers commands that are not the app’s as Slack does: /invite @kr-checkin adds the bot (issue 13 item 11)', async () => {
    const RANDOM = 'CRANDOM001';
    await openChannel(RANDOM);
    const bot = sandbox.runtime.slack.bot.userId;
    expect(sandbox.runtime.slack.channels().find((c) => c.id === RANDOM)!.members).not.toContain(bot);

    await command(page, '/giphy hello');
    const notACommand = page.locator('.message.ephemeral', { hasText: '/giphy is not a valid command' });
    await notACommand.waitFor();
    expect(await notACommand.locator('.author').textContent()).toBe('Slackbot');

    await command(page, '/invite @kr-checkin');
    await page.locator('.message.ephemeral', { hasText: 'You added @kr-checkin to #random' }).waitFor();
    await shot('invite');
    expect(sandbox.runtime.slack.channels().find((c) => c.id === RANDOM)!.members).toContain(bot);
    // Now the app can post there: the summary preview has no "one step" left.
    await command(page, '/kr summary mine');
    const preview = page.locator('.message.ephemeral').filter({ has: page.getByRole('button', { name: 'Post to #random' }) });
    await preview.waitFor({ timeout: 10_000 });
    expect(await preview.textContent()).not.toContain('One step before posting');
    await openChannel(GENERAL);
  });

  it('renders mrkdwn and escapes whatever the text holds', async () => {
    const response = await fetch(`${sandbox.runtime.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SANDBOX_BOT_TOKEN}` },
      body: JSON.stringify({
        channel: GENERAL,
        text: 'formatting check',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: '<script>window.__xss = 1</script> :tada:' } },
          {
            type: 'section',
            text: { type: 'mrkdwn', text: '*bold* _italic_ ~gone~ `code` <https://example.com/a_b|a link> <@UBEN00001> :white_check_mark: &lt;b&gt;not bold&lt;/b&gt; <javascript:window.__xss=2|click>' },
            fields: [{ type: 'mrkdwn', text: '<img src=x onerror="window.__xss=3">' }, { type: 'plain_text', text: '<img src=x onerror="window.__xss=4">' }],
          },
          { type: 'context', elements: [{ type: 'mrkdwn', text: '> quoted _line_' }] },
        ],
      }),
    });
    expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
    const message = page.locator('.message', { hasText: 'a link' });
    await message.waitFor();
    await shot('mrkdwn');
    expect(await message.locator('strong').first().textContent()).toBe('bold');
    expect(await message.locator('em').first().textContent()).toBe('italic');
    expect(await message.locator('s').first().textContent()).toBe('gone');
    expect(await message.locator('code').first().textContent()).toBe('code');
    expect(await message.locator('a').getAttribute('href')).toBe('https://example.com/a_b');
    expect(await message.locator('a').count()).toBe(1);
    expect(await message.locator('.mention').first().textContent()).toBe('@Ben Okafor');
    expect(await message.locator('blockquote').textContent()).toBe('quoted line');
    const text = (await message.textContent()) ?? '';
    expect(text).toContain('✅');
    expect(text).toContain('🎉');
    expect(text).toContain('<b>not bold</b>');
    expect(text).toContain('<script>window.__xss = 1</script>');
    expect(await message.locator('img, script').count()).toBe(0);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
  });

  it('unfurls a pasted Gtmhub link, and the message menu checks in with the message as the comment', async () => {
    await actAs(ANA);
    await openChannel(GENERAL);
    const metric = metricNamed(sandbox, 'Engineers hired');
    const url = (await sandbox.runtime.server.services.gtmhub.getMetric(metric.id)).url!;
    await command(page, `Where are we on hiring? ${url}`);
    const message = page.locator('.message', { hasText: 'Where are we on hiring?' });
    const card = message.locator('.unfurl');
    await card.getByText('Engineers hired').waitFor();
    await shot('link-preview');
    expect(await card.textContent()).toMatch(/increase to/);

    await message.locator('.message-menu summary').click();
    await message.getByRole('button', { name: 'Check in a key result' }).click();
    const picker = modal().locator(key(BLOCK.keyResult, ACTION.selectKeyResult));
    await picker.waitFor();
    await picker.selectOption(metric.id);
    const comment = modal().locator(key(BLOCK.comment, ACTION.comment));
    await comment.waitFor();
    await shot('shortcut-checkin');
    const draft = await comment.inputValue();
    expect(draft).toContain('Where are we on hiring?');
    expect(draft).toMatch(/\/archives\/CGENERAL01\/p\d+/);
    await modal().locator('[data-role="close"]').click();
    await modal().waitFor({ state: 'detached' });
  });

  it('opens the new key result form and the objectives from App Home', async () => {
    await openChannel(sandbox.runtime.slack.dmChannelId(ANA));
    await page.locator('.tab[data-tab="home"]').click();
    await page.locator('#home').getByRole('button', { name: 'New key result' }).click();
    await modal().getByText('New key result').first().waitFor();
    await modal().locator('[data-role="close"]').click();
    await modal().waitFor({ state: 'detached' });
    await page.locator('#home').getByRole('button', { name: 'Your objectives' }).click();
    await modal().getByText('Your objectives').first().waitFor();
    await shot('home-objectives');
    await modal().locator('[data-role="close"]').click();
    await modal().waitFor({ state: 'detached' });
  });

  it('tells someone without a Gtmhub user why', async () => {
    await actAs(ZOE);
    await openChannel(GENERAL);
    await command(page, '/kr checkin');
    await modal().getByText('No Gtmhub user').waitFor();
    await shot('unmapped');
    await modal().locator('[data-role="close"]').click();
    await modal().waitFor({ state: 'detached' });
  });

  it('resets the data to the demo account', async () => {
    await page.locator('#reset').click();
    await page.locator('.confirm-overlay').getByRole('button', { name: 'Reset' }).click();
    await eventually(() => metricNamed(sandbox, 'New ARR from EMEA').actual === 1_240_000, 10_000, 'the demo value back');
    await page.locator('.toast', { hasText: 'demo data' }).waitFor();
    await page.locator('#messages .empty').waitFor();
    await shot('after-reset');
    expect(sandbox.runtime.slack.messages(GENERAL)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
