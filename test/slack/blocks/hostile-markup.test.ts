/**
 * Every block builder, fed key result names, objective names, units, comments, reasons and typed
 * text that carry Slack markup: none of it may reach a mrkdwn text or a fallback text as markup
 * (a mention that pings, a link that spoofs), and plain_text keeps it literally.
 */
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../../src/gtmhub/types.js';
import type { CheckInChange } from '../../../src/services/checkin-types.js';
import type { HomeModel } from '../../../src/services/reminders/home.js';
import type { PersonReminderState } from '../../../src/services/reminders/settings.js';
import { emptyReport } from '../../../src/services/reminders/report.js';
import { parseSchedule, parseWorkingTime } from '../../../src/services/reminders/schedule.js';
import type { ReminderMessage } from '../../../src/services/reminders/ports.js';
import type { Summary, SummaryItem } from '../../../src/services/summaries/model.js';
import type { OutboxEntry } from '../../../src/store/store.js';
import { appHomeView } from '../../../src/slack/blocks/app-home.js';
import { summaryChartMessages } from '../../../src/slack/blocks/summary-chart-message.js';
import { keyResultChart, keyResultChartDescription } from '../../../src/slack/blocks/key-result-chart.js';
import { checkInConfirmation, checkInDetailsView, checkInRejectedNotice, editCommentView } from '../../../src/slack/blocks/checkin-confirmation.js';
import {
  checkInFormView,
  deliveredView,
  loadFailedView,
  noKeyResultsView,
  pendingView,
  rejectedView,
  type CheckInModalMetadata,
} from '../../../src/slack/blocks/checkin-modal.js';
import { helpMessage } from '../../../src/slack/blocks/help-message.js';
import { followUpMessage, reminderMessage } from '../../../src/slack/blocks/reminder-message.js';
import { passReport, reminderStatus } from '../../../src/slack/blocks/reminder-report.js';
import { reminderSettingsModal, settingsSavedModal } from '../../../src/slack/blocks/reminder-settings-modal.js';
import { summaryMessages, summaryPreview } from '../../../src/slack/blocks/summary-message.js';
import { link } from '../../../src/slack/blocks/text.js';
import { unmappedText } from '../../../src/slack/blocks/unmapped-message.js';
import { createKeyResultView, editKeyResultView, noObjectivesView } from '../../../src/slack/blocks/key-result-form.js';
import { deleteKeyResultView, editCheckInCommentView, historyView, keyResultCreatedMessage } from '../../../src/slack/blocks/key-result-manage.js';
import { closeObjectiveView, objectivesView } from '../../../src/slack/blocks/objective-status.js';
import { nudgeMessage, nudgeOutcomeText } from '../../../src/slack/blocks/nudge-message.js';
import { unfurlsOf } from '../../../src/slack/blocks/key-result-card.js';
import { fingerprintOf, formValuesOf } from '../../../src/services/key-results-admin/edit.js';

const HOSTILE = 'Evil <!here> <!channel> <@UEVIL0001> <#CEVIL0001> <http://evil.example|Click me> & <mailto:x@evil.example>';
/** What must never appear in mrkdwn or fallback text: the markup the hostile input carries. */
const MARKUP = ['<!here', '<!channel', '<@UEVIL', '<#CEVIL', '<http://evil', '<mailto:', '|Click me>'];
const EVIL_URL = 'https://gtmhub.example/kr|<!here>';
const NOW = new Date('2026-11-30T09:00:00Z');
const hex = (n: number) => n.toString(16).padStart(24, '0');

const metric: Metric = {
  id: hex(1),
  name: HOSTILE,
  goalId: hex(2),
  url: EVIL_URL,
  initialValue: 0,
  target: 100,
  actual: 38.5,
  format: { prefix: '<!here> ', suffix: ' <@UEVIL0001>', fractionSize: 1 },
  lastCheckInDate: '2026-11-20T00:00:00Z',
  metricHistory: [{ changedBy: hex(3), comment: HOSTILE, createdAt: '2026-11-20T00:00:00Z', value: 30 }],
  dueDate: '2026-12-30T00:00:00Z',
};
const meta: CheckInModalMetadata = { channelId: 'C0GENERAL', nonce: 'n1', search: HOSTILE, draft: HOSTILE };
const objective = { id: hex(2), name: HOSTILE, url: EVIL_URL, ownerIds: [hex(3)] };
const change: CheckInChange = { metric, goalName: HOSTILE, previousActual: 30, previousAttainment: 0.3, newActual: 38.5, newAttainment: 0.385, snapshotId: hex(9) };
const entry = {
  id: 1,
  idempotencyKey: 'k',
  slackUserId: 'U0ANA0001',
  gtmhubUserId: hex(3),
  metricId: hex(1),
  actual: 38.5,
  confidence: null,
  comment: HOSTILE,
  submittedAt: NOW,
  status: 'delivered',
  attempts: 1,
  nextAttemptAt: NOW,
  leaseUntil: null,
  lastError: null,
  uncertain: false,
  snapshotId: hex(9),
  deliveredAt: NOW,
  origin: 'modal',
  reminderId: null,
  context: {},
} satisfies OutboxEntry;

const state: PersonReminderState = {
  settings: { enabled: true, schedule: parseSchedule('mon 10:00'), custom: true },
  timeZone: 'Europe/Berlin',
  period: { key: '2026-11-30', start: NOW, end: NOW, slotAt: NOW, deliverAt: NOW },
  nextReminderAt: NOW,
};
const rules = { defaultSchedule: parseSchedule('mon 10:00'), working: parseWorkingTime('08:00-19:00', 'mon-fri'), followUp: true };

function reminder(outcomes: boolean): ReminderMessage {
  const snapshot = {
    name: HOSTILE,
    goalName: HOSTILE,
    url: EVIL_URL,
    initialValue: 0,
    target: 100,
    actual: 38.5,
    targetOperator: 'at_least' as const,
    format: metric.format!,
    lastCheckInDate: null,
    dueDate: '2026-12-03T00:00:00Z',
    dueSoon: true,
  };
  return {
    reminder: { id: 7, kind: 'period', periodStart: NOW, periodEnd: NOW, pageOffset: 0, timeZone: 'Europe/Berlin' },
    items: [0, 1].map((i) => ({
      reminderId: 7,
      metricId: hex(i),
      position: i,
      snapshot,
      outcome: outcomes ? (i === 0 ? { kind: 'not_checkable', reason: HOSTILE } : { kind: 'checked_in', from: 1, to: 2, pending: false }) : null,
      actedAt: null,
    })),
    now: NOW,
  };
}

function summary(): Summary {
  const item: SummaryItem = {
    metricId: hex(1),
    goalId: hex(2),
    name: HOSTILE,
    url: EVIL_URL,
    attainment: 0.4,
    actual: 40,
    target: 100,
    format: metric.format!,
    change: { attainment: 0.1, actual: 10 },
    confidence: 0.3,
    lowConfidence: true,
    owner: { kind: 'gtmhub', name: HOSTILE, team: false },
    status: 'behind',
    gap: -0.2,
    lastCheckInDate: NOW,
    direction: 'increase',
  };
  return {
    title: HOSTILE,
    scope: { kind: 'goal', text: HOSTILE },
    scopeText: 'objectives matching “x”',
    channelId: 'C0GENERAL',
    period: { start: NOW, end: NOW, label: HOSTILE },
    generatedAt: NOW,
    previousAt: NOW,
    total: 1,
    overall: 0.4,
    overallChange: 0.1,
    expected: 0.6,
    progressHistory: [{ takenAt: NOW, overall: 0.3, expected: 0.5, keyResults: 1 }],
    counts: { on_track: 0, at_risk: 0, behind: 1, not_checked_in: 0 },
    objectives: [{ goalId: hex(2), name: HOSTILE, items: [item] }],
    needsAttention: [item],
    notCheckedIn: [{ owner: item.owner, count: 1 }],
  };
}

const home: HomeModel = {
  kind: 'ready',
  state,
  groups: [{ goalName: HOSTILE, keyResults: [{ metric, due: true, dueSoon: true, muted: null }] }],
};
const report = { ...emptyReport(HOSTILE, NOW), error: HOSTILE, unmappedCount: 1, unmapped: [{ gtmhubUserId: HOSTILE, name: HOSTILE, email: HOSTILE, reason: 'no_slack_user' as const }] };

/** Everything each builder produces, by name. */
const BUILT: Record<string, unknown> = {
  checkInFormView: checkInFormView({ meta, groups: [{ goalId: hex(2), goalName: HOSTILE, keyResults: [metric] }], selected: { metric, goalName: HOSTILE, timeZone: 'UTC', now: NOW }, previewValue: 42 }),
  loadFailedView: loadFailedView(meta, HOSTILE),
  noKeyResultsView: noKeyResultsView(meta),
  pendingView: pendingView(meta, HOSTILE),
  rejectedView: rejectedView(meta, HOSTILE),
  deliveredView: deliveredView(meta, change),
  checkInConfirmation: checkInConfirmation(entry, change, true),
  checkInConfirmationWithoutChange: checkInConfirmation(entry, null, false),
  checkInRejectedNotice: checkInRejectedNotice(entry, HOSTILE),
  checkInDetailsView: checkInDetailsView(entry, { value: 38.5, comment: HOSTILE, confidence: 0.5 }, metric),
  editCommentView: editCommentView(entry, entry.comment),
  helpMessage: helpMessage([{ usage: 'checkin', description: 'check in' }], { unknown: HOSTILE, isAdmin: false }),
  unmappedText: { text: unmappedText({ kind: 'no_gtmhub_user', email: HOSTILE }, 'U0ANA0001', 'an admin') },
  appHomeView: appHomeView(home, rules, NOW, { slackUserId: 'U0ANA0001', admins: 'an admin' }),
  appHomeUnmapped: appHomeView({ kind: 'unmapped', state, reason: { kind: 'no_gtmhub_user', email: HOSTILE } }, rules, NOW, { slackUserId: 'U0ANA0001', admins: 'an admin' }),
  reminderMessage: reminderMessage(reminder(false)),
  reminderMessageDone: reminderMessage(reminder(true)),
  followUpMessage: followUpMessage({ pendingCount: 2 } as Parameters<typeof followUpMessage>[0]),
  passReport: passReport(report, NOW),
  reminderStatus: reminderStatus({ nextTickAt: NOW, nextPassAt: NOW, lastPass: report, running: false }, NOW),
  reminderSettingsModal: reminderSettingsModal(state, rules, NOW),
  settingsSavedModal: settingsSavedModal(state, NOW),
  summaryMessages: summaryMessages(summary()),
  summaryPreview: summaryPreview(summary(), 'req-1', HOSTILE, 0),
  summaryChartMessages: summaryChartMessages(summary()),
  keyResultChart: keyResultChartDescription(
    keyResultChart({ name: HOSTILE, format: metric.format, initialValue: 0, target: 100, checkIns: [{ at: NOW, value: 1 }, { at: new Date(NOW.getTime() + 86_400_000), value: 2 }], pace: null })!,
  ),
  summaryClosedObjective: summaryMessages({ ...summary(), objectives: summary().objectives.map((o) => ({ ...o, closedStatus: HOSTILE })) }),
  noObjectivesView: noObjectivesView(HOSTILE),
  editKeyResultView: editKeyResultView({ metricId: metric.id, seen: fingerprintOf(metric), dueDay: '' }, metric, HOSTILE, formValuesOf(metric), ['name', 'description', 'initialValue', 'target', 'format', 'dueDate', 'targetOperator']),
  deleteKeyResultView: deleteKeyResultView(metric, objective),
  historyView: historyView({ keyResult: metric, objective, mayChange: true, entries: [{ at: NOW.toISOString(), by: HOSTILE, value: 1, confidence: 0.5, comment: HOSTILE, ref: '0123456789' }] }),
  keyResultCreatedMessage: keyResultCreatedMessage(metric, objective, 'U0ANA0001'),
  objectivesView: objectivesView([objective, { ...objective, closedStatus: { status: HOSTILE } }]),
  closeObjectiveView: closeObjectiveView(objective),
  nudgeMessage: nudgeMessage({ keyResult: metric, objectiveName: HOSTILE, nudgerSlackUserId: 'U0ANA0001' }),
  nudgeOutcome: { text: nudgeOutcomeText(HOSTILE, [{ ownerSlackUserId: 'U0BEN0001', sent: true }, { ownerSlackUserId: 'U0BEN0001', sent: false, lastNudgeAt: NOW }], () => HOSTILE.replace(/[<>&]/g, '')) },
  unfurls: unfurlsOf([{ kind: 'key_result', url: EVIL_URL, keyResult: { ...metric, assignee: { id: hex(3), type: 'user', name: HOSTILE } }, objectiveName: HOSTILE }, { kind: 'objective', url: 'https://x.example/', objective }], NOW),
};

interface Texts {
  markup: string[];
  plain: string[];
}

/** mrkdwn text objects and fallback/`text` strings (Slack parses both), and plain_text objects, anywhere in the output. */
function texts(value: unknown, out: Texts = { markup: [], plain: [] }, key = ''): Texts {
  if (typeof value === 'string') {
    if (key === 'text') out.markup.push(value);
    return out;
  }
  if (Array.isArray(value)) {
    for (const v of value) texts(v, out, key);
    return out;
  }
  if (typeof value !== 'object' || value === null) return out;
  const record = value as Record<string, unknown>;
  // plain_text objects, data table cells (raw text and numbers) and rich text runs are shown as written.
  if (['plain_text', 'raw_text', 'raw_number', 'text', 'link'].includes(record.type as string) && typeof record.text === 'string') {
    out.plain.push(record.text);
    return out;
  }
  if (record.type === 'mrkdwn' && typeof record.text === 'string') {
    out.markup.push(record.text);
    return out;
  }
  for (const [k, v] of Object.entries(record)) {
    // A plain_text_input's value is what the person edits: shown as typed.
    if (k === 'initial_value' || k === 'private_metadata' || k === 'value') continue;
    texts(v, out, k);
  }
  return out;
}

describe('Slack markup in names, units, comments and reasons', () => {
  it.each(Object.keys(BUILT))('%s carries none of it as markup', (name) => {
    const { markup } = texts(BUILT[name]);
    expect(markup.length, `${name} has mrkdwn or fallback text`).toBeGreaterThan(0);
    for (const text of markup) {
      for (const bad of MARKUP) expect(text, `${name}: ${text}`).not.toContain(bad);
    }
  });

  it('shows it escaped, so people still read the name', () => {
    const { markup } = texts(BUILT.checkInConfirmation);
    expect(markup.join('\n')).toContain('Evil &lt;!here&gt; &lt;!channel&gt; &lt;@UEVIL0001&gt;');
  });

  it('keeps plain_text literal: not escaped twice', () => {
    const { plain } = texts(BUILT.checkInFormView);
    expect(plain.some((t) => t.startsWith('Evil <!here>'))).toBe(true);
    for (const t of plain) expect(t).not.toContain('&lt;');
    const edit = JSON.stringify(BUILT.editCommentView);
    expect(edit).toContain(JSON.stringify(HOSTILE).slice(1, -1));
  });

  it('keeps what people typed literally in the key-result forms (plain text only, never escaped twice)', () => {
    const create = JSON.stringify(createKeyResultView({ nonce: 'n' }, [objective], 'U0ANA0001', formValuesOf(metric)));
    const comment = JSON.stringify(editCheckInCommentView('0123456789', HOSTILE));
    for (const built of [create, comment]) {
      expect(built).toContain(JSON.stringify(HOSTILE).slice(1, -1));
      expect(built).not.toContain('&lt;');
      expect(built).not.toContain('"mrkdwn"');
    }
  });

  it('links only plain http(s) URLs', () => {
    expect(link('https://app.gtmhub.com/#/goals/1?x=1&y=2', 'KR')).toBe('<https://app.gtmhub.com/#/goals/1?x=1&amp;y=2|KR>');
    expect(link(EVIL_URL, 'KR')).toBe('KR');
    expect(link('javascript:alert(1)', 'KR')).toBe('KR');
    expect(link('https://ok.example/a b', 'KR')).toBe('KR');
    expect(link('https://ok.example/x>', 'KR')).toBe('KR');
    expect(link(undefined, 'A|B <c>')).toBe('A|B &lt;c&gt;');
  });
});
