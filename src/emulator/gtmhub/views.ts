/**
 * How stored entities look on the wire. Fields that depend on other entities (a metric's
 * assignee, goal name and goal status; a goal's attainment) are derived when read, so they can
 * never disagree with the data they come from.
 */
import { formatCustomFields, formatText, type Formatting } from './formatting.js';
import { goalAttainment, goalMetricSummary, goalUrl, metricUrl } from './guesses.js';
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

export function metricView(ctx: ReadContext): EntityView<EmulatorMetric> {
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
        return ctx.goal(metric.goalId)?.name ?? '';
      case 'goalClosedStatus':
        return ctx.goalClosedStatus(metric.goalId);
      case 'url':
        return metricUrl(metric.goalId, metric.id);
      case 'description':
        return formatText(metric.description, ctx.formatting);
      case 'customFields':
        return formatCustomFields(metric.customFields, ctx.formatting);
      default:
        return (metric as unknown as Record<string, unknown>)[key];
    }
  };
  return {
    readField,
    toDto: (metric) => ({
      ...metric,
      accountId: ctx.state.accountId,
      description: formatText(metric.description, ctx.formatting),
      goalName: readField(metric, 'goalName'),
      ownerId: readField(metric, 'ownerId'),
      assignee: readField(metric, 'assignee'),
      assignees: readField(metric, 'assignees'),
      goalClosedStatus: readField(metric, 'goalClosedStatus'),
      customFields: formatCustomFields(metric.customFields, ctx.formatting),
      url: readField(metric, 'url'),
    }),
  };
}

export function goalView(ctx: ReadContext): EntityView<EmulatorGoal> {
  const readField = (goal: EmulatorGoal, key: string): unknown => {
    switch (key) {
      case 'accountId':
        return ctx.state.accountId;
      case 'description':
        return formatText(goal.description ?? '', ctx.formatting);
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
      case 'url':
        return goalUrl(goal.id);
      default:
        return (goal as unknown as Record<string, unknown>)[key];
    }
  };
  const derived = ['accountId', 'description', 'closedStatus', 'goalClosedStatus', 'attainment', 'assignee', 'dateFrom', 'dateTo', 'metrics', 'url'];
  return {
    readField,
    toDto: (goal) => {
      const dto: Record<string, unknown> = { ...goal };
      for (const key of derived) dto[key] = readField(goal, key);
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
