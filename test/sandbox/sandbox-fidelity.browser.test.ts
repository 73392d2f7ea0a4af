/**
 * The sandbox behaves as Slack does where a person would try it (issue 13 item 11): the job buttons
 * explain themselves and the job log is in words, mentions, Enter in a dispatch_action field, the
 * message list following a new reply, and links to Gtmhub opening the emulator's key result page.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { command, hasChromium, metricNamed, startBrowserSandbox } from './browser-sandbox.js';
import { SANDBOX_BOT_TOKEN } from '../../src/sandbox/demo-workspace.js';
import { PREVIEW_BLOCK } from '../../src/slack/blocks/checkin-modal.js';
import { ACTION, BLOCK } from '../../src/slack/ids.js';

const SHOTS = join(process.cwd(), 'test-results', 'sandbox-fidelity');

const ANA = 'UANA00001';
const GENERAL = 'CGENERAL01';

let sandbox: Sandbox;
let browser: Browser;
let page: Page;
const logs: string[] = [];
const pageErrors: string[] = [];

const key = (blockId: string, actionId: string) => `[data-key="${blockId}/${actionId}"]`;
const modal = () => page.locator('#modal-root .modal');

async function actAs(userId: string): Promise<void> {
  await page.locator('#user-picker').selectOption(userId);
  await page.locator('#user-note').getByText(sandbox.runtime.slack.users().find((u) => u.id === userId)!.email!).waitFor();
}

async function openChannel(channelId: string): Promise<void> {
  await page.locator(`.nav-item[data-channel="${channelId}"]`).click();
  await page.locator(`.nav-item.active[data-channel="${channelId}"]`).waitFor();
}

describe.skipIf(!hasChromium)('the sandbox behaves as Slack does', { timeout: 30_000 }, () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ({ sandbox, browser, page } = await startBrowserSandbox({ logs, pageErrors }));
    await actAs(ANA);
    await openChannel(GENERAL);
  }, 30_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await page.screenshot({ path: join(SHOTS, `FAILED-${task.name.replace(/\W+/g, '-').slice(0, 40)}.png`) }).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    if (pageErrors.length > 0 || logs.length > 0) console.log({ pageErrors, logs: logs.slice(-20) });
  });

  it('says beside the job buttons that jobs also run on their own schedule, and what Run outbox now does', async () => {
    const help = page.locator('#job-help');
    await help.getByText('own schedule').waitFor();
    const text = (await help.textContent())!;
    expect(text).toMatch(/reminders every \d+ minutes?/);
    expect(text).toMatch(/Run outbox now delivers check-ins waiting in the outbox to Gtmhub/);
    expect(await page.locator('[data-job="outbox"]').getAttribute('title')).toMatch(/also runs by itself every \d+ seconds/);
  });

  it('writes the job log in words, not field names', async () => {
    await page.locator('[data-job="reminders"]').click();
    const line = page.locator('.job-result[data-job="reminders"]').first();
    await line.waitFor();
    const reminders = (await line.textContent())!;
    expect(reminders).toMatch(/^Reminder pass: (\d+ sent|nothing)/);
    await page.locator('[data-job="outbox"]').click();
    const outbox = (await page.locator('.job-result[data-job="outbox"]').first().textContent())!;
    expect(outbox).toMatch(/^Outbox: no check-ins were waiting\. Took \d+ ms\.$/);
    for (const text of [reminders, outbox]) expect(text).not.toMatch(/[{}"]|[a-z][A-Z]|_/);
    await page.screenshot({ path: join(SHOTS, 'job-log.png') });
  });

  it('sends the block action when Enter is pressed in a dispatch_action field: the check-in preview', async () => {
    const actionsBefore = sandbox.runtime.slack.callsTo('views.update').length;
    await command(page, '/kr checkin');
    const picker = modal().locator(key(BLOCK.keyResult, ACTION.selectKeyResult));
    await picker.waitFor();
    const metric = metricNamed(sandbox, 'Engineers hired');
    await picker.selectOption(metric.id);
    const value = modal().locator(key(BLOCK.value, ACTION.value));
    await value.waitFor();
    await value.fill('13');
    expect(await modal().locator(`[data-block-id="${PREVIEW_BLOCK}"]`).count()).toBe(0);
    await value.press('Enter');
    const preview = modal().locator(`[data-block-id="${PREVIEW_BLOCK}"]`);
    await preview.waitFor();
    expect(await preview.textContent()).toContain('13');
    expect(sandbox.runtime.slack.callsTo('views.update').length).toBeGreaterThan(actionsBefore);
    // Enter previews; it does not save.
    expect(metricNamed(sandbox, 'Engineers hired').actual).toBe(metric.actual);
    expect(await value.inputValue()).toBe('13');
    await page.screenshot({ path: join(SHOTS, 'enter-preview.png') });
    await modal().locator('[data-role="close"]').click();
    await modal().waitFor({ state: 'detached' });
  });

  it('scrolls the message list to a new reply, also one in a thread higher up', async () => {
    const slack = sandbox.runtime.slack;
    const { ts: rootTs } = await slack.postUserMessage(ANA, GENERAL, 'Who updates the hiring key result this week?');
    for (let n = 1; n <= 40; n++) await slack.postUserMessage(ANA, GENERAL, `Filler message ${n}`);
    const list = page.locator('#messages');
    await list.locator('.message', { hasText: 'Filler message 40' }).waitFor();
    const inView = (text: string) =>
      list.locator('.message', { hasText: text }).last().evaluate((node) => {
        const box = node.getBoundingClientRect();
        const frame = node.closest('#messages')!.getBoundingClientRect();
        return box.top >= frame.top - 1 && box.bottom <= frame.bottom + 1;
      });
    expect(await inView('Filler message 40')).toBe(true);

    // A reply in the thread of the first message, far above what is shown.
    const answer = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${SANDBOX_BOT_TOKEN}`, 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: GENERAL, thread_ts: rootTs, text: 'Ana does, on Friday.' }),
    }).then((r) => r.json() as Promise<{ ok: boolean; error?: string }>);
    expect(answer).toMatchObject({ ok: true });
    await list.locator('.message.reply', { hasText: 'Ana does, on Friday.' }).waitFor();
    await expect.poll(() => inView('Ana does, on Friday.')).toBe(true);
    expect(await inView('Filler message 40')).toBe(false);

    // Scrolled up to read, a person's own command gets its answer shown at the bottom.
    await list.evaluate((node) => (node.scrollTop = 0));
    await command(page, '/kr help');
    await list.locator('.message.ephemeral').last().waitFor();
    await expect.poll(() => list.locator('.message.ephemeral').last().evaluate((node) => {
      const box = node.getBoundingClientRect();
      const frame = node.closest('#messages')!.getBoundingClientRect();
      return box.top < frame.bottom && box.bottom > frame.top;
    })).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'scrolled-to-reply.png') });
  });

  it('opens the Gtmhub emulator\'s page for a key result from its link: summary, check-in modal, pasted message', async () => {
    const gtmhubOrigin = new URL(sandbox.runtime.gtmhub.url).origin;
    const openLink = async (link: ReturnType<typeof page.locator>) => {
      const href = (await link.getAttribute('href'))!;
      expect(new URL(href).origin).toBe(gtmhubOrigin);
      const id = /\/metrics\/metric\/([0-9a-f]{24})/.exec(href)![1];
      const metric = sandbox.runtime.gtmhub.state.metrics.find((m) => m.id === id)!;
      const [popup] = await Promise.all([page.waitForEvent('popup'), link.click()]);
      await popup.locator('#title', { hasText: metric.name }).waitFor();
      expect(await popup.locator('#detail').textContent()).toContain(String(metric.actual));
      await popup.close();
      return href;
    };
    await command(page, '/kr summary');
    const summaryLink = page.locator('#messages .message.ephemeral a[href*="/metrics/metric/"]').first();
    await summaryLink.scrollIntoViewIfNeeded();
    await openLink(summaryLink);

    const metric = metricNamed(sandbox, 'Engineers hired');
    await command(page, '/kr checkin');
    const picker = modal().locator(key(BLOCK.keyResult, ACTION.selectKeyResult));
    await picker.waitFor();
    await picker.selectOption(metric.id);
    const modalLink = modal().locator(`a[href*="/metrics/metric/${metric.id}"]`).first();
    await modalLink.waitFor();
    const url = await openLink(modalLink);
    await modal().locator('[data-role="close"]').click();
    await modal().waitFor({ state: 'detached' });

    // A person pastes the link as text: Slack turns a bare URL into a link.
    await page.locator('#composer-input').fill(`Look at ${url} please`);
    await page.locator('#composer-input').press('Enter');
    const pasted = page.locator('.message', { hasText: 'please' }).last().locator(`.message-text a[href="${url}"]`);
    await pasted.waitFor();
    await openLink(pasted);
  });

  it('offers matching people for @name in the composer and sends a real mention', async () => {
    const input = page.locator('#composer-input');
    await input.fill('');
    await input.pressSequentially('Thanks @be');
    const list = page.locator('#mention-list');
    await list.locator('.mention-option', { hasText: 'Ben Okafor' }).waitFor();
    const offered = await list.locator('.mention-option strong').allTextContents();
    expect(offered.every((name) => /(^|\s)be/i.test(name))).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'mention-suggestions.png') });
    // Arrow keys move through the list; Enter picks instead of sending.
    const index = offered.indexOf('Ben Okafor');
    for (let i = 0; i < index; i++) await input.press('ArrowDown');
    await input.press('Enter');
    expect(await input.inputValue()).toBe('Thanks @Ben Okafor ');
    expect(await list.isHidden()).toBe(true);
    await input.pressSequentially('for the update');
    await input.press('Enter');

    await expect.poll(() => sandbox.runtime.slack.messages(GENERAL).find((m) => m.text?.includes('for the update'))?.text).toBe('Thanks <@UBEN00001> for the update');
    const shown = page.locator('.message', { hasText: 'for the update' }).last();
    expect(await shown.locator('.mention').textContent()).toBe('@Ben Okafor');
  });

  it('sends a name typed out in full as a mention when Enter is pressed with the suggestions open', async () => {
    const input = page.locator('#composer-input');
    await input.pressSequentially('Over to @ben');
    await page.locator('#mention-list .mention-option').first().waitFor();
    await input.press('Enter');
    await expect.poll(() => sandbox.runtime.slack.messages(GENERAL).find((m) => m.text?.startsWith('Over to'))?.text).toBe('Over to <@UBEN00001>');
    await expect.poll(() => input.inputValue()).toBe('');
  });
});
