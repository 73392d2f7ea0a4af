import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/gtmhub/types.js';
import { readKeyResultForm, type KeyResultFormValues } from '../../src/services/key-results-admin/key-result-input.js';
import { fingerprintOf, formValuesOf } from '../../src/services/key-results-admin/edit.js';
import { mayManage, type Actor } from '../../src/services/key-results-admin/permissions.js';
import { linkTarget } from '../../src/services/key-results-admin/unfurls.js';

const ANA = 'aa0000000000000000000001';
const BEN = 'aa0000000000000000000002';
const actor = (gtmhubUserId: string | null, isAdmin = false): Actor => ({ slackUserId: 'U1', gtmhubUserId, isAdmin });
const metric = (ownerIds: string[]): Metric => ({ id: 'dd0000000000000000000001', name: 'KR', goalId: 'cc0000000000000000000001', ownerIds });

describe('who may manage key results and objectives', () => {
  const objective = { ownerIds: [ANA] };
  it('lets objective owners do everything to their objective', () => {
    expect(mayManage(actor(ANA), 'create_key_result', objective)).toBe(true);
    expect(mayManage(actor(ANA), 'change_objective', objective)).toBe(true);
    expect(mayManage(actor(ANA), 'change_key_result', objective, metric([BEN]))).toBe(true);
  });
  it('lets key-result owners change their key result only', () => {
    expect(mayManage(actor(BEN), 'change_key_result', objective, metric([BEN]))).toBe(true);
    expect(mayManage(actor(BEN), 'change_key_result', objective, metric([ANA]))).toBe(false);
    expect(mayManage(actor(BEN), 'create_key_result', objective)).toBe(false);
    expect(mayManage(actor(BEN), 'change_objective', objective)).toBe(false);
  });
  it('lets admins do all of it, mapped or not', () => {
    expect(mayManage(actor(null, true), 'change_objective', objective)).toBe(true);
    expect(mayManage(actor(BEN, true), 'create_key_result', objective)).toBe(true);
    expect(mayManage(actor(null), 'change_key_result', objective, metric([ANA]))).toBe(false);
  });
});

describe('the key-result form', () => {
  const base: KeyResultFormValues = { name: 'Revenue', description: '', format: 'currency', currencySymbol: '€', decimals: '2', direction: 'decrease', start: '€100', target: '€40.5', dueDate: '2026-12-31' };
  it('reads into Gtmhub’s terms', () => {
    const read = readKeyResultForm(base, '2026-12-01');
    expect(read).toEqual({
      ok: true,
      attributes: { name: 'Revenue', description: '', format: { prefix: '€', suffix: '', fractionSize: 2 }, targetOperator: 'at_most', initialValue: 100, target: 40.5, dueDate: '2026-12-31T23:59:59.000Z' },
    });
  });
  it('names each problem beside its field', () => {
    const read = readKeyResultForm({ ...base, name: 'x'.repeat(201), target: '€100', dueDate: '2026-11-30', decimals: '9', start: '1,5' }, '2026-12-01');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.name).toMatch(/200 characters/);
    expect(read.errors.dueDate).toMatch(/passed/);
    expect(read.errors.decimals).toMatch(/0 to 4/);
    expect(read.errors.start).toMatch(/ambiguous/);
    const same = readKeyResultForm({ ...base, direction: 'increase', target: '€100' }, '2026-12-01');
    expect(same.ok ? null : same.errors.target).toMatch(/above the start value/);
    expect(readKeyResultForm({ ...base, direction: 'stay_above', target: '€100' }, '2026-12-01').ok).toBe(true);
  });
  it('round-trips a key result through the form without a change', () => {
    const kr: Metric = { ...metric([ANA]), name: 'NPS', initialValue: 10, target: 60, targetOperator: 'should_stay_above', format: { prefix: '', suffix: '%', fractionSize: 1 }, dueDate: '2026-12-31T23:59:59.000Z', description: 'd' };
    const read = readKeyResultForm(formValuesOf(kr), '2026-12-01');
    expect(read.ok).toBe(true);
    if (read.ok) expect(fingerprintOf(read.attributes)).toEqual(fingerprintOf(kr));
  });
});

describe('which Gtmhub links preview', () => {
  const kr = 'dd0000000000000000000001';
  const goal = 'cc0000000000000000000001';
  const session = 'bb0000000000000000000001';
  it('reads key-result and objective links of the web app, with the route after #', () => {
    expect(linkTarget(`https://acme.gtmhub.com/#/goals/${session}/all/${goal}/metrics/metric/${kr}/`)).toEqual({ kind: 'key_result', id: kr });
    expect(linkTarget(`https://app.us.gtmhub.com/results/#/goals/${session}/all/${goal}/metrics/metric/${kr.toUpperCase()}?tab=history`)).toEqual({ kind: 'key_result', id: kr });
    expect(linkTarget(`https://acme.gtmhub.com/#/goals/${session}/all/${goal}/`)).toEqual({ kind: 'objective', id: goal });
  });
  it('leaves everything else alone', () => {
    expect(linkTarget('https://acme.gtmhub.com/#/home')).toBeNull();
    expect(linkTarget(`https://acme.gtmhub.com/#/goals/${session}/all/not-an-id/`)).toBeNull();
    expect(linkTarget(`javascript:alert(1)//metrics/metric/${kr}`)).toBeNull();
    expect(linkTarget('not a url')).toBeNull();
  });
});
