/**
 * How stored entities look on the wire. Fields that depend on other entities (a metric's
 * assignee, goal name and goal status; a goal's attainment) are derived when read, so they can
 * never disagree with the data they come from.
 */
import { formatCustomFields, formatText, type Formatting } from './formatting.js';
import { goalAttainment, goalMetricSummary, goalUrl, metricUrl, publicHistoryEntry } from './guesses.js';
import type { EntityView } from './list-query.js';
import type { EmulatorModel } from './model.js';
import type {
  EmulatorGoal,
  EmulatorMetric,
  EmulatorSession,
  EmulatorState,
  EmulatorTeam,
  EmulatorUser,
  ObjectId,
} from './types.js';

export interface AssigneeDto {
  id: ObjectId;
  type: 'user' | 'team';
  name: string;
  email: string;
  isActive: boolean;
}

/** Per-request read access over the live state: id lookups through the model's indexes, goal → metrics grouped once. */
export class ReadContext {
  private metricsByGoal?: Map<ObjectId, EmulatorMetric[]>;

  constructor(
    private readonly model: EmulatorModel,
    readonly formatting: Formatting = 'mentionsMarkup',
  ) {}

  get state(): EmulatorState {
    return this.model.state;
  }

  /** Where the emulator's own web page answers (its origin); links point there. */
  get webBaseUrl(): string {
    return this.model.webBaseUrl;
  }

  user(id: ObjectId): EmulatorUser | undefined {
    return this.model.user(id);
  }

  team(id: ObjectId): EmulatorTeam | undefined {
    return this.model.team(id);
  }

  goal(id: ObjectId): EmulatorGoal | undefined {
    return this.model.goal(id);
  }

  session(id: ObjectId): EmulatorSession | undefined {
    return this.model.session(id);
  }

  metricsOfGoal(goalId: ObjectId): EmulatorMetric[] {
    if (!this.metricsByGoal) {
      this.metricsByGoal = new Map();
      for (const metric of this.state.metrics) {
        const list = this.metricsByGoal.get(metric.goalId);
        if (list) list.push(metric);
        else this.metricsByGoal.set(metric.goalId, [metric]);
      }
    }
    return this.metricsByGoal.get(goalId) ?? [];
  }

  assignee(ownerId: ObjectId): AssigneeDto {
    const user = this.user(ownerId);
    if (user) return { id: user.id, type: 'user', name: fullName(user), email: user.email, isActive: user.isActive ?? true };
    const team = this.team(ownerId);
    if (team) return { id: team.id, type: 'team', name: team.name, email: '', isActive: true };
    return { id: ownerId, type: 'user', name: '', email: '', isActive: false };
  }

  goalClosedStatus(goalId: ObjectId): { status: string; reason: string } {
    const closed = this.goal(goalId)?.closedStatus;
    return closed ? { status: closed.status, reason: closed.reason ?? '' } : { status: 'active', reason: '' };
  }
}

export function fullName(user: EmulatorUser): string {
  return `${user.firstName} ${user.lastName}`.trim();
}

/**
 * `v2` = a `GET /v2/metrics` list item (with `goalName`, a v2 list field); `v1` = a single-metric
 * body, which has no goalName. Both leave out what is unset — a description never written, a
 * confidence never given, a check-in never made — instead of sending null or "".
 */
export function metricView(ctx: ReadContext, shape: 'v1' | 'v2' = 'v2'): EntityView<EmulatorMetric> {
  const readField = (metric: EmulatorMetric, key: string): unknown => {
    switch (key) {
      case 'accountId':
        return ctx.state.accountId;
      case 'ownerId':
        return metric.ownerIds[0] ?? '';
      case 'assignee':
        return metric.ownerIds[0] === undefined ? undefined : ctx.assignee(metric.ownerIds[0]);
      case 'assignees':
        return metric.ownerIds.map((id) => ctx.assignee(id));
      case 'goalName':
        return shape === 'v2' ? (ctx.goal(metric.goalId)?.name ?? '') : undefined;
      case 'goalClosedStatus':
        return ctx.goalClosedStatus(metric.goalId);
      case 'url':
        return metricUrl(ctx.webBaseUrl, metric);
      case 'description':
        return metric.description ? formatText(metric.description, ctx.formatting) : undefined;
      case 'confidence':
        return metric.confidence ?? undefined;
      case 'lastCheckInDate':
        return metric.lastCheckInDate ?? undefined;
      case 'metricHistory':
        return metric.metricHistory.map(publicHistoryEntry);
      case 'customFields':
        return formatCustomFields(metric.customFields, ctx.formatting);
      default:
        return (metric as unknown as Record<string, unknown>)[key];
    }
  };
  const derived = ['accountId', 'ownerId', 'assignee', 'assignees', 'goalName', 'goalClosedStatus', 'url', 'description', 'confidence', 'lastCheckInDate', 'metricHistory', 'customFields'];
  return {
    readField,
    toDto: (metric) => {
      const dto: Record<string, unknown> = { ...metric };
      for (const key of derived) {
        const value = readField(metric, key);
        if (value === undefined) delete dto[key];
        else dto[key] = value;
      }
      return dto;
    },
  };
}

export function goalView(ctx: ReadContext): EntityView<EmulatorGoal> {
  const readField = (goal: EmulatorGoal, key: string): unknown => {
    switch (key) {
      case 'accountId':
        return ctx.state.accountId;
      case 'description':
        return goal.description ? formatText(goal.description, ctx.formatting) : undefined;
      case 'closedStatus':
        return goal.closedStatus ?? null;
      case 'goalClosedStatus':
        return ctx.goalClosedStatus(goal.id);
      case 'attainment':
        return goalAttainment(ctx.metricsOfGoal(goal.id));
      case 'assignee':
        return goal.ownerIds[0] === undefined ? undefined : ctx.assignee(goal.ownerIds[0]);
      case 'dateFrom':
        return ctx.session(goal.sessionId)?.start;
      case 'dateTo':
        return ctx.session(goal.sessionId)?.end;
      case 'metrics':
        return ctx.metricsOfGoal(goal.id).map(goalMetricSummary);
      case 'metricsCount':
        return ctx.metricsOfGoal(goal.id).length;
      case 'url':
        return goalUrl(ctx.webBaseUrl, goal);
      default:
        return (goal as unknown as Record<string, unknown>)[key];
    }
  };
  // `metrics` is left out unless asked for (`fields=metrics{…}`, or includeMetrics on v1).
  const derived = ['accountId', 'description', 'closedStatus', 'goalClosedStatus', 'attainment', 'assignee', 'dateFrom', 'dateTo', 'metricsCount', 'url'];
  return {
    readField,
    toDto: (goal) => {
      const dto: Record<string, unknown> = { ...goal };
      for (const key of derived) {
        const value = readField(goal, key);
        if (value === undefined) delete dto[key];
        else dto[key] = value;
      }
      return dto;
    },
  };
}

export function userView(ctx: ReadContext): EntityView<EmulatorUser> {
  const readField = (user: EmulatorUser, key: string): unknown => {
    if (key === 'name') return fullName(user);
    if (key === 'isActive') return user.isActive ?? true;
    if (key === 'accountId') return ctx.state.accountId;
    return (user as unknown as Record<string, unknown>)[key];
  };
  return {
    readField,
    toDto: (user) => ({ ...user, name: fullName(user), isActive: user.isActive ?? true, accountId: ctx.state.accountId }),
  };
}

export function sessionView(): EntityView<EmulatorSession> {
  return {
    readField: (session, key) => (session as unknown as Record<string, unknown>)[key],
    toDto: (session) => ({ ...session }),
  };
}

/** `GET /v1/assignees` items are the same assignee objects metrics carry. */
export function assigneeView(): EntityView<AssigneeDto> {
  return {
    readField: (assignee, key) => (assignee as unknown as Record<string, unknown>)[key],
    toDto: (assignee) => ({ ...assignee }),
  };
}
