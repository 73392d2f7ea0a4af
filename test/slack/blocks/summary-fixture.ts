/** Summaries of any size for block tests, with names like the Gtmhub emulator's generated data. */
import type { Summary, SummaryItem, SummaryObjective } from '../../../src/services/summaries/model.js';
import { STATUSES, type SummaryStatus } from '../../../src/services/summaries/status.js';

export const hex = (n: number) => n.toString(16).padStart(24, '0');

export function generatedItem(n: number, perPerson = 20, over: Partial<SummaryItem> = {}): SummaryItem {
  const person = Math.floor((n - 1) / perPerson) + 1;
  const goalId = hex(1_000_000 + person);
  return {
    metricId: hex(n),
    goalId,
    name: `Key result ${((n - 1) % perPerson) + 1} of person ${person}`,
    url: `https://app.gtmhub.com/#/goals/${goalId}/all/${goalId}/metrics/metric/${hex(n)}/`,
    attainment: (n % 120) / 100,
    actual: n % 120,
    target: 100,
    format: { prefix: n % 2 ? '$' : '', suffix: n % 2 ? '' : '%', fractionSize: 2 },
    change: null,
    confidence: n % 3 === 0 ? null : (n % 10) / 10,
    lowConfidence: n % 10 < 4 && n % 3 !== 0,
    owner: { kind: 'slack', slackUserId: `U${String(person).padStart(8, '0')}`, name: `Person number ${person}` },
    status: STATUSES[n % 4]!,
    gap: n % 4 === 0 ? null : -((n % 50) / 100),
    lastCheckInDate: n % 10 === 0 ? null : new Date('2026-11-20T00:00:00Z'),
    direction: n % 5 === 1 ? 'decrease' : 'increase',
    ...over,
  };
}

export function generatedSummary(count: number, over: Partial<Summary> = {}, perPerson = 20): Summary {
  const objectives = new Map<string, SummaryObjective>();
  const items: SummaryItem[] = [];
  for (let n = 1; n <= count; n++) {
    const item = generatedItem(n, perPerson);
    items.push(item);
    const person = Math.floor((n - 1) / perPerson) + 1;
    const objective = objectives.get(item.goalId) ?? { goalId: item.goalId, name: `Objective of person ${person}`, items: [] };
    objective.items.push(item);
    objectives.set(item.goalId, objective);
  }
  const counts = Object.fromEntries(STATUSES.map((s) => [s, items.filter((i) => i.status === s).length])) as Record<SummaryStatus, number>;
  return {
    title: 'Weekly key results summary',
    scope: { kind: 'goal', text: 'person' },
    scopeText: 'objectives matching “person”',
    channelId: 'CTEAM0001',
    period: { start: new Date('2026-11-23T08:00:00Z'), end: new Date('2026-11-30T08:00:00Z'), label: '23 Nov – 30 Nov 2026' },
    generatedAt: new Date('2026-11-30T08:00:00Z'),
    previousAt: null,
    total: items.length,
    overall: 0.5,
    overallChange: null,
    expected: 0.6,
    progressHistory: [],
    counts,
    objectives: [...objectives.values()],
    needsAttention: items.filter((i) => i.status === 'behind' || i.status === 'at_risk'),
    notCheckedIn: [],
    ...over,
  };
}
