/** The reminder rules for one person, as a pure function: no store, no Slack, no clock. */
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/gtmhub/types.js';
import { ReminderPlanner, type PersonInputs, type ReminderRules } from '../../src/services/reminders/planner.js';
import { OwnerBatches, ownerSortKey, type OwnerGroup } from '../../src/services/reminders/owner-batches.js';
import type { MetricOwner } from '../../src/services/people/metric-owners.js';
import { parseSchedule, parseWorkingTime, periodAt } from '../../src/services/reminders/schedule.js';
import type { Reminder, ReminderMute } from '../../src/store/reminder-store.js';

const rules: ReminderRules = { defaultSchedule: parseSchedule('mon 10:00'), working: parseWorkingTime('08:00-19:00', 'mon-fri'), followUp: true };
/** Monday 30 November 2026 in Berlin (UTC+1). */
const TZ = 'Europe/Berlin';
const at = (iso: string) => new Date(iso);

function metric(id: string, lastCheckInDate: string | undefined, name = `KR ${id}`): Metric {
  return { id, name, goalId: 'g1', ...(lastCheckInDate ? { lastCheckInDate } : {}) } as Metric;
}

function inputs(over: Partial<PersonInputs> & { metrics?: Metric[] } = {}): PersonInputs {
  const metrics = over.metrics ?? [metric('a', '2026-11-20T10:00:00Z'), metric('b', undefined)];
  return {
    person: { slackUserId: 'U1', gtmhubUserId: 'G1', metrics: new Map(metrics.map((m) => [m.id, m])) },
    settings: undefined,
    timeZone: TZ,
    mutes: [],
    openReminder: () => undefined,
    ...over,
  };
}

function sentReminder(over: Partial<Reminder> = {}): Reminder {
  return { id: 7, status: 'sent', followUpAt: at('2026-12-01T07:00:00Z'), followUpStatus: null, ...over } as Reminder;
}

describe('ReminderPlanner', () => {
  it('sends at the person\'s local 10:00 on their day, stalest first', () => {
    const plan = new ReminderPlanner(at('2026-11-30T09:05:00Z'), rules).plan(inputs());
    expect(plan.notSent).toBeNull();
    expect(plan.jobs).toHaveLength(1);
    const job = plan.jobs[0]!;
    expect(job.type).toBe('period');
    if (job.type !== 'period') return;
    expect(job.metrics.map((m) => m.id)).toEqual(['b', 'a']);
    expect(job.period.deliverAt.toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('says "not yet" before the reminder time and asks to look again then', () => {
    const plan = new ReminderPlanner(at('2026-11-30T08:00:00Z'), rules).plan(inputs());
    expect(plan).toMatchObject({ jobs: [], notSent: 'notYet' });
    expect(plan.lookAgainAt.map((d) => d.toISOString())).toContain('2026-11-30T09:00:00.000Z');
  });

  it('waits for working hours, with nothing due, or when turned off', () => {
    // Monday 19:30 in Berlin: the reminder time has passed, but working hours end at 19:00.
    const evening = new ReminderPlanner(at('2026-11-30T18:30:00Z'), rules).plan(inputs());
    expect(evening.notSent).toBe('quietHours');
    expect(evening.lookAgainAt.map((d) => d.toISOString())).toContain('2026-12-01T07:00:00.000Z');
    const fresh = new ReminderPlanner(at('2026-11-30T09:05:00Z'), rules).plan(inputs({ metrics: [metric('a', '2026-11-30T08:00:00Z')] }));
    expect(fresh.notSent).toBe('nothingDue');
    const off = new ReminderPlanner(at('2026-11-30T09:05:00Z'), rules).plan(
      inputs({ settings: { slackUserId: 'U1', enabled: false, days: [1], minutes: 600, updatedAt: at('2026-11-01T00:00:00Z') } }),
    );
    expect(off).toEqual({ jobs: [], notSent: 'off', lookAgainAt: [] });
  });

  it('leaves out what is snoozed or skipped, and counts a person with only muted key results as snoozed', () => {
    const now = at('2026-11-30T09:05:00Z');
    const period = periodAt(now, TZ, rules.defaultSchedule, rules.working);
    const mutes: ReminderMute[] = [
      { slackUserId: 'U1', metricId: 'a', kind: 'skip', periodKey: period.key, until: null, createdAt: now },
      { slackUserId: 'U1', metricId: 'b', kind: 'snooze', periodKey: period.key, until: at('2026-12-01T07:00:00Z'), createdAt: now },
    ];
    const plan = new ReminderPlanner(now, rules).plan(inputs({ mutes }));
    expect(plan.notSent).toBe('snoozed');
    expect(plan.lookAgainAt.map((d) => d.toISOString())).toContain('2026-12-01T07:00:00.000Z');
    const one = new ReminderPlanner(now, rules).plan(inputs({ mutes: mutes.slice(0, 1) }));
    expect(one.jobs[0]?.type === 'period' && one.jobs[0].metrics.map((m) => m.id)).toEqual(['b']);
  });

  it('sends nothing twice in a period; follows up once on the next working morning', () => {
    const sent = sentReminder();
    const sameDay = new ReminderPlanner(at('2026-11-30T15:00:00Z'), rules).plan(inputs({ openReminder: () => sent }));
    expect(sameDay).toMatchObject({ jobs: [], notSent: 'alreadySent' });
    expect(sameDay.lookAgainAt.map((d) => d.toISOString())).toContain('2026-12-01T07:00:00.000Z');
    const nextMorning = new ReminderPlanner(at('2026-12-01T07:30:00Z'), rules).plan(inputs({ openReminder: () => sent }));
    expect(nextMorning.jobs.map((j) => j.type)).toEqual(['follow_up']);
    const done = new ReminderPlanner(at('2026-12-01T07:30:00Z'), rules).plan(inputs({ openReminder: () => sentReminder({ followUpStatus: 'sent' }) }));
    expect(done.jobs).toEqual([]);
    const noFollowUps = new ReminderPlanner(at('2026-12-01T07:30:00Z'), { ...rules, followUp: false }).plan(inputs({ openReminder: () => sent }));
    expect(noFollowUps.jobs).toEqual([]);
  });

  it('brings a snoozed key result back in its own message once the snooze ends', () => {
    const now = at('2026-12-01T08:00:00Z');
    const period = periodAt(now, TZ, rules.defaultSchedule, rules.working);
    const mutes: ReminderMute[] = [{ slackUserId: 'U1', metricId: 'b', kind: 'snooze', periodKey: period.key, until: at('2026-12-01T07:00:00Z'), createdAt: at('2026-11-30T09:10:00Z') }];
    const plan = new ReminderPlanner(now, rules).plan(inputs({ mutes, openReminder: () => sentReminder({ followUpStatus: 'skipped' }) }));
    expect(plan.jobs).toHaveLength(1);
    const wake = plan.jobs[0]!;
    expect(wake.type).toBe('wake');
    if (wake.type !== 'wake') return;
    expect(wake.until.toISOString()).toBe('2026-12-01T07:00:00.000Z');
    expect(wake.metrics.map((m) => m.id)).toEqual(['b']);
    expect(wake.endedSnoozes).toEqual(['b']);
  });

  it('starts with the next period when the person chose a schedule after this period\'s reminder time', () => {
    const plan = new ReminderPlanner(at('2026-11-30T12:00:00Z'), rules).plan(
      inputs({ settings: { slackUserId: 'U1', enabled: true, days: [1], minutes: 600, updatedAt: at('2026-11-30T11:00:00Z') } }),
    );
    expect(plan.notSent).toBe('notYet');
    expect(plan.jobs).toEqual([]);
  });
});

describe('OwnerBatches (key results sorted by owner → complete per-owner lists)', () => {
  const owner = (id: string, email: string | null = `${id}@x.example`): MetricOwner => ({ gtmhubUserId: id, email, name: null });
  const kr = (id: string, ownerIds: string[]): Metric => ({ id, name: id, goalId: 'g', ownerIds }) as Metric;
  const ids = (groups: OwnerGroup[]) => groups.map((g) => `${g.owner.gtmhubUserId}:${g.metrics.map((m) => m.id).join('+')}`);

  /** Feeds key results in Gtmhub's order (smallest owner id, then id) and records when each group completes. */
  function stream(metrics: Metric[], ownersOf: (m: Metric) => MetricOwner[] = (m) => (m.ownerIds ?? []).map((id) => owner(id))) {
    const sorted = [...metrics].sort((a, b) => (ownerSortKey(a) ?? '').localeCompare(ownerSortKey(b) ?? '') || a.id.localeCompare(b.id));
    const batches = new OwnerBatches();
    const completedAt: string[][] = [];
    for (const m of sorted) completedAt.push(ids(batches.add(m, ownersOf(m))));
    return { completedAt, rest: ids(batches.finish()), batches };
  }

  it('sorts a key result at its smallest owner id, and one without owners first', () => {
    expect(ownerSortKey({ ownerIds: ['c', 'a', 'b'] })).toBe('a');
    expect(ownerSortKey({ ownerIds: [] })).toBeUndefined();
    expect(ownerSortKey({})).toBeUndefined();
  });

  it('completes an owner as soon as the stream moves past their id', () => {
    const { completedAt, rest } = stream([kr('1', ['a']), kr('2', ['a']), kr('3', ['b']), kr('4', ['c'])]);
    expect(completedAt).toEqual([[], [], ['a:1+2'], ['b:3']]);
    expect(rest).toEqual(['c:4']);
  });

  it('keeps a co-owner open until the stream reaches their own id, so they get every key result they share', () => {
    // 'b' co-owns a key result sorted at 'a': b is complete only once the stream passes 'b'.
    const { completedAt, rest } = stream([kr('1', ['a', 'b']), kr('2', ['b']), kr('3', ['c'])]);
    expect(completedAt).toEqual([[], ['a:1'], ['b:1+2']]);
    expect(rest).toEqual(['c:3']);
  });

  it('holds owners named outside ownerIds (assignee only) to the end of the stream', () => {
    const withAssignee = (m: Metric) => [...(m.ownerIds ?? []).map((id) => owner(id)), ...(m.id === '1' ? [owner('z0')] : [])];
    // z0 sorts before every key that follows, yet the order says nothing about them.
    const { completedAt, rest } = stream([kr('1', ['a']), kr('2', ['b']), kr('3', ['c'])], withAssignee);
    expect(completedAt.flat()).not.toContain('z0:1');
    expect(rest).toContain('z0:1');
  });

  it('keeps no more owners open than the stream needs (memory does not grow with people)', () => {
    const many = Array.from({ length: 5000 }, (_, i) => kr(String(i), [`u${String(i).padStart(5, '0')}`]));
    const sorted = [...many].sort((a, b) => ownerSortKey(a)!.localeCompare(ownerSortKey(b)!));
    const batches = new OwnerBatches();
    let completed = 0;
    let mostOpen = 0;
    for (const m of sorted) {
      completed += batches.add(m, [owner(m.ownerIds![0]!)]).length;
      mostOpen = Math.max(mostOpen, batches.openCount);
    }
    completed += batches.finish().length;
    expect(completed).toBe(5000);
    expect(mostOpen).toBeLessThanOrEqual(2);
  });

  it('takes the owner with an email when the same person comes without one first', () => {
    const batches = new OwnerBatches();
    batches.add(kr('1', ['a']), [owner('a', null)]);
    batches.add(kr('2', ['a']), [owner('a', 'a@x.example')]);
    const [group] = batches.finish();
    expect(group!.owner.email).toBe('a@x.example');
    expect(group!.metrics.map((m) => m.id)).toEqual(['1', '2']);
  });
});
