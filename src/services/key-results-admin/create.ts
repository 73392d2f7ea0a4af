/**
 * Creating a key result from Slack (`POST /v1/metrics`): objectives the person may add to, the form
 * read into Gtmhub's terms, the one rule checked, and one key result per submitted form.
 */
import type { Clock } from '../../clock.js';
import type { GtmhubClient } from '../../gtmhub/client.js';
import type { Goal, Metric, MetricInput } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import type { ActionClaimStore } from '../../store/action-claim-store.js';
import { NotFoundError } from '../errors.js';
import type { KeyResultService } from '../key-results.js';
import type { PeopleService } from '../people/people-service.js';
import type { UnmappedReason } from '../people/people-types.js';
import { readKeyResultForm, todayUtc, type FieldErrors, type KeyResultFormValues } from './key-result-input.js';
import { GOAL_FIELDS, mayManage, type KeyResultPermissions } from './permissions.js';

/** A static select holds 100 options. */
const MAX_OBJECTIVES = 100;

export interface NewKeyResultForm extends KeyResultFormValues {
  goalId: string;
  ownerSlackUserId: string;
}

export interface CreatePlan {
  input: MetricInput & { goalId: string; name: string };
  objective: Goal;
  ownerSlackUserId: string;
}

export type CreateOutcome =
  | { kind: 'created'; keyResult: Metric; objective: Goal; ownerSlackUserId: string }
  /** The same form was submitted before; its key result is this one (or still being created). */
  | { kind: 'duplicate'; keyResultId: string | null };

export interface KeyResultCreatorOptions {
  gtmhub: Pick<GtmhubClient, 'createMetric' | 'iterateGoals' | 'getMetric'>;
  permissions: KeyResultPermissions;
  people: Pick<PeopleService, 'resolve'>;
  keyResults: Pick<KeyResultService, 'closedSessionIds'>;
  store: ActionClaimStore;
  clock: Clock;
  logger: Logger;
}

function unmappedOwner(reason: UnmappedReason): string {
  switch (reason.kind) {
    case 'no_slack_user':
      return 'I cannot read this person’s Slack profile, so I cannot find them in Gtmhub.';
    case 'no_email':
      return 'This person’s Slack profile shows no email, so I cannot find them in Gtmhub. An admin can link them with /kr link.';
    case 'no_gtmhub_user':
      return `No Gtmhub user has this person’s email (${reason.email}). An admin can link them with /kr link.`;
  }
}

function isActive(goal: Goal): boolean {
  const status = (goal.closedStatus ?? goal.goalClosedStatus)?.status;
  return !status || status === 'active';
}

export class KeyResultCreator {
  constructor(private readonly options: KeyResultCreatorOptions) {}

  /** Active objectives in sessions that are not closed, that this person may add key results to; `words` filter by name. */
  async objectivesFor(slackUserId: string, words = ''): Promise<Goal[]> {
    const { permissions, gtmhub, keyResults } = this.options;
    const actor = await permissions.actor(slackUserId);
    const closed = await keyResults.closedSessionIds();
    const wanted = words.toLowerCase().split(/\s+/).filter(Boolean);
    const goals: Goal[] = [];
    const filter = actor.isAdmin || actor.gtmhubUserId === null ? undefined : { ownerIds: actor.gtmhubUserId };
    for await (const goal of gtmhub.iterateGoals({ fields: GOAL_FIELDS, sort: 'name', ...(filter ? { filter } : {}) })) {
      if (!isActive(goal) || (goal.sessionId && closed.has(goal.sessionId))) continue;
      if (!mayManage(actor, 'create_key_result', goal)) continue;
      if (!wanted.every((w) => goal.name.toLowerCase().includes(w))) continue;
      goals.push(goal);
      if (goals.length >= MAX_OBJECTIVES) break;
    }
    return goals;
  }

  /**
   * Checks the form, the owner and the person's right to add to the objective (field errors answer
   * the submission at once); the plan it returns is what `create` writes.
   */
  async check(slackUserId: string, form: NewKeyResultForm): Promise<{ kind: 'invalid'; errors: FieldErrors } | { kind: 'ready'; plan: CreatePlan }> {
    const { permissions, people, clock } = this.options;
    const read = readKeyResultForm(form, todayUtc(clock.now()));
    const errors: FieldErrors = read.ok ? {} : { ...read.errors };
    if (!form.goalId) errors.objective = 'Choose an objective.';
    let ownerId: string | null = null;
    if (!form.ownerSlackUserId) errors.owner = 'Choose who owns the key result.';
    else {
      const owner = await people.resolve(form.ownerSlackUserId);
      if (owner.mapped) ownerId = owner.gtmhubUserId;
      else errors.owner = unmappedOwner(owner.reason);
    }
    if (!read.ok || Object.keys(errors).length > 0 || !ownerId) return { kind: 'invalid', errors };
    const { objective } = await permissions.assertMayCreateUnder(slackUserId, form.goalId);
    if (!isActive(objective)) return { kind: 'invalid', errors: { objective: 'This objective is closed; reopen it before adding key results.' } };
    return { kind: 'ready', plan: { input: { ...read.attributes, goalId: objective.id, ownerIds: [ownerId], manualType: 'double' }, objective, ownerSlackUserId: form.ownerSlackUserId } };
  }

  /** Creates the checked key result once per `formKey` (a double submission creates one); the rule is checked again first. */
  async create(slackUserId: string, formKey: string, plan: CreatePlan): Promise<CreateOutcome> {
    const { permissions, gtmhub, store, clock, logger } = this.options;
    const { objective } = await permissions.assertMayCreateUnder(slackUserId, plan.objective.id);
    const claimKey = `create:${formKey}`;
    const claim = await store.claimAction(claimKey, clock.now());
    if (!claim.claimed) return { kind: 'duplicate', keyResultId: claim.claim.result };
    let keyResult: Metric;
    try {
      keyResult = await gtmhub.createMetric({ ...plan.input, goalId: objective.id });
    } catch (error) {
      await store.releaseAction(claimKey);
      throw error;
    }
    await store.setActionResult(claimKey, keyResult.id);
    logger.info({ metricId: keyResult.id, goalId: objective.id, slackUserId }, 'key result created');
    return { kind: 'created', keyResult, objective, ownerSlackUserId: plan.ownerSlackUserId };
  }

  /** The key result a duplicate submission points at. */
  async created(keyResultId: string): Promise<Metric> {
    const metric = await this.options.gtmhub.getMetric(keyResultId).catch(() => null);
    if (!metric) throw new NotFoundError('That key result is no longer in Gtmhub.');
    return metric;
  }
}
