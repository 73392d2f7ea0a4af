/**
 * A channel summary as Slack messages. The first message carries the overview (header, counts,
 * needs attention, who has not checked in) and as many objectives as fit; the rest continue as
 * replies in its thread. Every message stays within Slack's limits: ≤ 50 blocks, section text
 * ≤ 3000 characters, header ≤ 150, and ≤ 12,000 characters of block text in all (Slack answers
 * `msg_blocks_too_long` a little above 13,000). Every key result's full line appears exactly once.
 */
import type { ActionsBlock, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { OwnerCount, Summary, SummaryItem, SummaryOwner } from '../../services/summaries/model.js';
import { nudgeSelect, objectiveSelect } from './nudge-select.js';
import type { SummaryStatus } from '../../services/summaries/status.js';
import { formatPercent, formatValue, progressBar } from './format/progress.js';
import { progressWords, valueWithGoal } from './format/goal.js';
import { escapeMrkdwn, link, mrkdwn, plain, shortDate, slackDate, slackDay, truncate } from './text.js';
import { SLACK_LIMITS } from './slack-limits.js';
import type { MessageBlock } from './chart-types.js';

export const SUMMARY_LIMITS = {
  blocksPerMessage: SLACK_LIMITS.messageBlocks,
  sectionText: SLACK_LIMITS.text,
  headerText: SLACK_LIMITS.headerText,
  /** Total block text per message, below where Slack starts refusing with msg_blocks_too_long. */
  messageChars: 12_000,
  /** The first message keeps room for the "continued in thread" note or the preview's buttons. */
  firstMessageReservedBlocks: 3,
  firstMessageReservedChars: 400,
  keyResultName: 80,
  objectiveName: 140,
  ownerName: 60,
  needsAttention: 10,
} as const;

export const SUMMARY_ACTION = {
  post: 'summary_post',
  cancel: 'summary_cancel',
} as const;

export interface SummaryMessage {
  text: string;
  blocks: MessageBlock[];
}

export const STATUS_EMOJI: Record<SummaryStatus, string> = {
  on_track: ':large_green_circle:',
  at_risk: ':large_yellow_circle:',
  behind: ':red_circle:',
  not_checked_in: ':white_circle:',
};

export const STATUS_LABEL: Record<SummaryStatus, string> = {
  on_track: 'on track',
  at_risk: 'at risk',
  behind: 'behind',
  not_checked_in: 'not checked in this period',
};

/** A status is never carried by its emoji alone: the words stand beside it. */
export function statusMark(status: SummaryStatus): string {
  return `${STATUS_EMOJI[status]} _${STATUS_LABEL[status]}_ ·`;
}

/** Whole percentage points, signed: "+12 pts", "−5 pts", "±0 pts". */
export function formatPoints(fraction: number): string {
  const points = Math.round(fraction * 100);
  if (points === 0) return '±0 pts';
  return `${points > 0 ? '+' : '−'}${Math.abs(points)} pts`;
}

function ownerText(owner: SummaryOwner): string {
  if (owner.kind === 'slack') return `<@${owner.slackUserId}>`;
  if (owner.kind === 'gtmhub') return `${escapeMrkdwn(truncate(owner.name, SUMMARY_LIMITS.ownerName))}${owner.team ? ' (team)' : ''}`;
  return '_no owner_';
}

function changeText(item: SummaryItem): string {
  if (item.change === null) return '';
  if (item.change === 'new') return ' · _new_';
  const arrow = Math.round(item.change.attainment * 100) > 0 ? '▲ ' : Math.round(item.change.attainment * 100) < 0 ? '▼ ' : '';
  const value =
    item.change.actual !== null && item.change.actual !== 0
      ? ` (${item.change.actual > 0 ? '+' : ''}${escapeMrkdwn(formatValue(item.change.actual, item.format))})`
      : '';
  return ` · ${arrow}${formatPoints(item.change.attainment)}${value}`;
}

/** One key result: status, linked name, bar, %, value / target, change, confidence, owner. */
export function keyResultLine(item: SummaryItem): string {
  const name = truncate(item.name.replace(/\s+/g, ' ').trim() || 'Untitled key result', SUMMARY_LIMITS.keyResultName);
  // A link this long would be a broken URL anyway; the name alone keeps the line bounded.
  const title = item.url.length <= 500 ? `*${link(item.url, name)}*` : `*${escapeMrkdwn(name)}*`;
  const value = escapeMrkdwn(valueWithGoal(item, '/'));
  const overdue = item.overdue && item.dueDate ? ` · :warning: *overdue* since ${shortDate(item.dueDate)}` : '';
  const confidence = item.confidence === null ? '' : ` · conf ${item.confidenceLabel ? escapeMrkdwn(item.confidenceLabel) : item.confidence.toFixed(1)}${item.lowConfidence ? ' (low)' : ''}`;
  return `${statusMark(item.status)} ${title}  \`${progressBar(item.attainment)}\` ${progressWords(item.attainment, item.targetOperator)} · ${value}${overdue}${changeText(item)}${confidence} · ${ownerText(item.owner)}`;
}

/** The pointer in "Needs attention": no link (the linked line is under its objective). */
export function attentionLine(item: SummaryItem): string {
  const name = escapeMrkdwn(truncate(item.name.replace(/\s+/g, ' ').trim(), SUMMARY_LIMITS.keyResultName));
  const threshold = progressWords(item.attainment, item.targetOperator) !== formatPercent(item.attainment);
  const expected = item.gap === null || threshold ? '' : ` (${formatPercent(item.attainment - item.gap)} expected by now)`;
  const low = `${item.overdue ? ' · overdue' : ''}${item.lowConfidence ? ' · low confidence' : ''}`;
  return `${statusMark(item.status)} ${name} — ${escapeMrkdwn(threshold ? valueWithGoal(item) + ', not met' : formatPercent(item.attainment))}${expected}${low} · ${ownerText(item.owner)}`;
}

/** "Needs attention": the worst few, as many as fit in one section, and how many more there are. */
function attentionText(items: SummaryItem[]): string {
  let text = '*Needs attention*';
  let shown = 0;
  for (const item of items.slice(0, SUMMARY_LIMITS.needsAttention)) {
    const line = attentionLine(item);
    if (text.length + 1 + line.length > SUMMARY_LIMITS.sectionText - 100) break;
    text += `\n${line}`;
    shown += 1;
  }
  const left = items.length - shown;
  return left > 0 ? `${text}\n_…and ${left} more, marked under their objectives below_` : text;
}

function ownersText(owners: OwnerCount[]): string {
  const parts = owners.map(({ owner, count }) => `${ownerText(owner)}${count > 1 ? ` (${count})` : ''}`);
  let text = '*Not checked in this period*\n';
  for (let i = 0; i < parts.length; i++) {
    const rest = parts.length - i;
    const next = `${text}${i > 0 ? ', ' : ''}${parts[i]}`;
    if (next.length > SUMMARY_LIMITS.sectionText - 60) return `${text} and ${rest} more`;
    text = next;
  }
  return text;
}

export function overviewBlocks(summary: Summary): KnownBlock[] {
  const { counts } = summary;
  const since = summary.previousAt ? ` since ${slackDay(summary.previousAt)}` : '';
  const overallChange = summary.overallChange === null ? '' : ` (${formatPoints(summary.overallChange)}${since})`;
  const statusCounts = (['on_track', 'at_risk', 'behind', 'not_checked_in'] as const)
    .map((status) => `${STATUS_EMOJI[status]} *${counts[status]}* ${STATUS_LABEL[status]}`)
    .join('   ');
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`${summary.title} · ${summary.period.label}`, SUMMARY_LIMITS.headerText) },
    {
      type: 'section',
      text: mrkdwn(
        [
          // The period is in the header already: said once.
          `*Scope:* ${summary.scopeText}`,
          `*Overall:* \`${progressBar(summary.overall)}\` ${formatPercent(summary.overall)}${overallChange} across ${summary.total} key result${summary.total === 1 ? '' : 's'}`,
          statusCounts,
        ].join('\n'),
      ),
      ...(objectiveSelect(summary.objectives) ? { accessory: objectiveSelect(summary.objectives)! } : {}),
    },
  ];
  if (summary.needsAttention.length > 0) blocks.push({ type: 'section', text: mrkdwn(attentionText(summary.needsAttention)) });
  if (summary.notCheckedIn.length > 0) {
    const nudge = nudgeSelect(summary.objectives.flatMap((o) => o.items).filter((i) => i.status === 'not_checked_in' && i.owner.kind === 'slack'));
    blocks.push({ type: 'section', text: mrkdwn(ownersText(summary.notCheckedIn)), ...(nudge ? { accessory: nudge } : {}) });
  }
  blocks.push({
    type: 'context',
    elements: [
      mrkdwn(
        `${summary.postedBy ? `Posted by <@${summary.postedBy}> with \`/kr summary\`. ` : ''}${summary.dueAt ? `:hourglass: This summary was due ${slackDate(summary.dueAt)} and comes late: kr-checkin was unavailable then. ` : ''}Status compares progress with the time elapsed in the OKR session, and low confidence counts against it.${
          summary.previousAt ? ` Changes are since the summary of ${slackDay(summary.previousAt)}.` : ' Changes will show from the next summary on.'
        }`,
      ),
    ],
  });
  blocks.push({ type: 'divider' });
  return blocks;
}

function blockChars(block: MessageBlock): number {
  switch (block.type) {
    case 'header':
      return block.text.text.length;
    case 'section':
      return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    case 'context':
      return block.elements.reduce((n, e) => n + ('text' in e && typeof e.text === 'string' ? e.text.length : 0), 0);
    default:
      return 0;
  }
}

export function messageChars(blocks: readonly MessageBlock[]): number {
  return blocks.reduce((n, b) => n + blockChars(b), 0);
}

export function fallbackText(summary: Summary): string {
  const { counts } = summary;
  return truncate(
    `${escapeMrkdwn(summary.title)} (${escapeMrkdwn(summary.period.label)}): ${summary.total} key results — ${counts.on_track} on track, ${counts.at_risk} at risk, ${counts.behind} behind, ${counts.not_checked_in} not checked in this period.`,
    3000,
  );
}

/** Packs the objectives' lines into sections and messages, opening a thread reply when one is full. */
class MessagePacker {
  readonly messages: KnownBlock[][] = [];
  private blocks: KnownBlock[];
  private section: string | null = null;

  constructor(first: KnownBlock[]) {
    this.blocks = [...first];
  }

  private limits(): { blocks: number; chars: number } {
    const first = this.messages.length === 0;
    return {
      blocks: SUMMARY_LIMITS.blocksPerMessage - (first ? SUMMARY_LIMITS.firstMessageReservedBlocks : 1),
      chars: SUMMARY_LIMITS.messageChars - (first ? SUMMARY_LIMITS.firstMessageReservedChars : 200),
    };
  }

  private closeSection(): void {
    if (this.section !== null) this.blocks.push({ type: 'section', text: mrkdwn(this.section) });
    this.section = null;
  }

  private closeMessage(): void {
    this.closeSection();
    this.messages.push(this.blocks);
    this.blocks = [];
  }

  /** Adds a line; `heading` is repeated when the line has to start a new message. */
  add(line: string, heading: string | null): void {
    const { blocks, chars } = this.limits();
    const used = messageChars(this.blocks) + (this.section?.length ?? 0);
    if (this.section !== null && this.section.length + 1 + line.length <= SUMMARY_LIMITS.sectionText && used + 1 + line.length <= chars) {
      this.section += `\n${line}`;
      return;
    }
    const blocksAfterClose = this.blocks.length + (this.section !== null ? 1 : 0);
    const charsAfterClose = used;
    if (blocksAfterClose + 1 > blocks || charsAfterClose + line.length + (heading?.length ?? 0) + 1 > chars) {
      this.closeMessage();
      this.section = heading !== null && heading !== line ? `${heading}\n${line}` : line;
      return;
    }
    this.closeSection();
    this.section = line;
  }

  finish(): KnownBlock[][] {
    this.closeSection();
    if (this.blocks.length > 0 || this.messages.length === 0) this.messages.push(this.blocks);
    return this.messages;
  }
}

/**
 * The summary as messages: the first goes to the channel, the others are its thread replies, in
 * order. Each objective's heading line is repeated (marked "continued") when its key results run
 * into a new message.
 */
export function summaryMessages(summary: Summary): SummaryMessage[] {
  const packer = new MessagePacker(overviewBlocks(summary));
  for (const objective of summary.objectives) {
    const name = escapeMrkdwn(truncate(objective.name.replace(/\s+/g, ' ').trim() || 'Objective', SUMMARY_LIMITS.objectiveName));
    const count = objective.items.length;
    const closed = objective.closedStatus ? ` — :lock: closed (${escapeMrkdwn(objective.closedStatus)})` : '';
    const heading = `${objective.closedStatus ? ':lock:' : ':dart:'} *${name}* — ${count} key result${count === 1 ? '' : 's'}${closed}`;
    packer.add(heading, null);
    for (const item of objective.items) packer.add(keyResultLine(item), `:dart: *${name}* _(continued)_`);
  }
  const packed = packer.finish();
  const total = packed.length;
  const text = fallbackText(summary);
  return packed.map((blocks, index) => {
    if (index === 0) {
      if (total > 1) blocks.push(continuedNote(total - 1));
      return { text, blocks };
    }
    const note: ContextBlock = {
      type: 'context',
      elements: [mrkdwn(`${escapeMrkdwn(truncate(summary.title, 100))} · ${escapeMrkdwn(summary.period.label)} — continued (${index + 1}/${total})`)],
    };
    return { text: truncate(`${escapeMrkdwn(summary.title)} — continued (${index + 1}/${total})`, 3000), blocks: [note, ...blocks] };
  });
}

function continuedNote(replies: number): ContextBlock {
  return { type: 'context', elements: [mrkdwn(`:thread: The summary continues in this message's thread (${replies} more message${replies === 1 ? '' : 's'}).`)] };
}

/**
 * The caller's ephemeral preview: the first message as it will be posted (`first`, by default of the
 * text layout), and the buttons. Their values carry only the request id; the server re-checks
 * everything on click.
 */
export function summaryPreview(
  summary: Summary,
  requestId: string,
  channelName: string | null,
  replies: number,
  first: SummaryMessage | undefined = summaryMessages(summary)[0],
  notInChannel = false,
): SummaryMessage {
  const blocks = (first?.blocks ?? []).filter((b) => !(b.type === 'context' && JSON.stringify(b).includes(':thread:')));
  const where = channelName ? `#${channelName}` : 'this channel';
  const preview: ContextBlock = {
    type: 'context',
    elements: [
      mrkdwn(
        `:eye: Only you can see this preview.${notInChannel ? ` *One step before posting:* I'm not in ${escapeMrkdwn(where)} yet — type \`/invite @kr-checkin\` here, then press *Post*.` : ''}${replies > 0 ? ` When posted, the summary continues in ${replies} more message${replies === 1 ? '' : 's'} in its thread.` : ''}`,
      ),
    ],
  };
  const actions: ActionsBlock = {
    type: 'actions',
    elements: [
      { type: 'button', action_id: SUMMARY_ACTION.post, text: plain(truncate(`Post to ${where}`, SLACK_LIMITS.optionText)), style: 'primary', value: requestId },
      { type: 'button', action_id: SUMMARY_ACTION.cancel, text: plain('Cancel'), value: requestId },
    ],
  };
  return { text: `Preview: ${first?.text ?? escapeMrkdwn(summary.title)}`, blocks: [...blocks, preview, actions] };
}

/** A short ephemeral line (errors, confirmations). */
export function summaryNotice(text: string): SummaryMessage {
  const block: SectionBlock = { type: 'section', text: mrkdwn(text) };
  return { text: truncate(text, 3000), blocks: [block] };
}
