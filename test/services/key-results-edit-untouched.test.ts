/**
 * The key-result editor sends with PATCH only what the person changed in the form, compared with
 * what the form shows for the key result as re-read from Gtmhub: whatever the form cannot show as it
 * is (a unit, decimals, a long name or description, an unknown direction) survives other edits.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { Goal, Metric, MetricInput } from '../../src/gtmhub/types.js';
import { createLogger } from '../../src/logger.js';
import { fingerprintOf, formValuesOf, KeyResultEditor } from '../../src/services/key-results-admin/edit.js';
import type { KeyResultFormValues } from '../../src/services/key-results-admin/key-result-input.js';
import type { KeyResultPermissions } from '../../src/services/key-results-admin/permissions.js';

const objective: Goal = { id: 'cc0000000000000000000001', name: 'Ship with quality', ownerIds: [] } as Goal;
const bugs: Metric = {
  id: 'dd0000000000000000000001',
  name: 'Open critical bugs',
  goalId: objective.id,
  description: 'd'.repeat(2500),
  initialValue: 40,
  target: 5,
  targetOperator: 'at_most',
  format: { prefix: '', suffix: ' bugs', fractionSize: 0 },
  dueDate: '2026-12-31T23:59:59.000Z',
};

/** An editor over one key result as Gtmhub holds it, recording each PATCH body. */
function editorOver(keyResult: Metric) {
  const patches: MetricInput[] = [];
  const permissions = { assertMayChangeKeyResult: async () => ({ actor: { slackUserId: 'UANA00001', gtmhubUserId: null, isAdmin: true }, keyResult, objective }) } as unknown as KeyResultPermissions;
  const gtmhub = {
    patchMetric: async (_id: string, body: MetricInput) => {
      patches.push(body);
      return { ...keyResult, ...body } as Metric;
    },
  };
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const editor = new KeyResultEditor({ gtmhub, permissions, clock: fixedClock('2026-11-01T10:00:00Z'), logger });
  const save = (change: Partial<KeyResultFormValues>) => editor.save('UANA00001', keyResult.id, fingerprintOf(keyResult), { ...formValuesOf(keyResult), ...change });
  return { patches, save };
}

describe('saving an edited key result', () => {
  it('sends only the target when only the target changed, keeping the unit " bugs" and a 2,500-character description', async () => {
    const { patches, save } = editorOver(bugs);
    expect(formValuesOf(bugs)).toMatchObject({ format: 'number', description: '' });
    const outcome = await save({ target: '3' });
    expect(outcome).toMatchObject({ kind: 'saved', changed: ['target'] });
    expect(patches).toEqual([{ target: 3 }]);
  });

  it('keeps decimals the form does not offer (fractionSize 6) when only the target changes', async () => {
    const precise: Metric = { ...bugs, description: '', format: { prefix: '$', suffix: '', fractionSize: 6 } };
    const { patches, save } = editorOver(precise);
    expect(formValuesOf(precise)).toMatchObject({ format: 'currency', currencySymbol: '$', decimals: '' });
    await save({ target: '$3' });
    expect(patches).toEqual([{ target: 3 }]);
  });

  it('changes only the part of the format the person changed', async () => {
    const decimals = editorOver(bugs);
    await decimals.save({ decimals: '2' });
    expect(decimals.patches).toEqual([{ format: { prefix: '', suffix: ' bugs', fractionSize: 2 } }]);

    const kind = editorOver({ ...bugs, format: { prefix: '', suffix: ' bugs', fractionSize: 6 } });
    await kind.save({ format: 'percent' });
    expect(kind.patches).toEqual([{ format: { prefix: '', suffix: '%', fractionSize: 6 } }]);
  });

  it('keeps a name longer than the form takes and an unknown direction, and saves a description the person typed', async () => {
    const long: Metric = { ...bugs, initialValue: 0, name: `Open critical bugs ${'in every product line '.repeat(12)}`, targetOperator: 'should_stay_between' };
    const { patches, save } = editorOver(long);
    expect(formValuesOf(long).name).toHaveLength(200);
    await save({ target: '6' });
    await save({ description: 'Only P1 bugs count.' });
    await save({ name: 'Open P1 bugs' });
    expect(patches).toEqual([{ target: 6 }, { description: 'Only P1 bugs count.' }, { name: 'Open P1 bugs' }]);
  });

  it('treats whitespace at the ends and line endings Slack may rewrite as unchanged', async () => {
    const described: Metric = { ...bugs, name: ' Open critical bugs ', description: 'First line\r\nSecond line\n' };
    const { save } = editorOver(described);
    expect(await save({ name: 'Open critical bugs', description: 'First line\nSecond line' })).toMatchObject({ kind: 'unchanged' });
  });
});
