import { IdIndex } from './id-index.js';
import { ObjectIdFactory } from './object-id.js';
import type { EmulatorGoal, EmulatorMetric, EmulatorSession, EmulatorSnapshot, EmulatorState, ObjectId } from './types.js';

/** The live state plus what handlers need to work on it: id lookups, id generation, the clock. */
export class EmulatorModel {
  readonly ids: ObjectIdFactory;
  private readonly metricIndex = new IdIndex<EmulatorMetric>();
  private readonly goalIndex = new IdIndex<EmulatorGoal>();
  private readonly sessionIndex = new IdIndex<EmulatorSession>();
  private readonly snapshotIndex = new IdIndex<EmulatorSnapshot>();

  constructor(
    readonly state: EmulatorState,
    readonly now: () => Date,
  ) {
    this.ids = new ObjectIdFactory(now);
  }

  metric(id: ObjectId): EmulatorMetric | undefined {
    return this.metricIndex.find(this.state.metrics, id);
  }

  goal(id: ObjectId): EmulatorGoal | undefined {
    return this.goalIndex.find(this.state.goals, id);
  }

  session(id: ObjectId): EmulatorSession | undefined {
    return this.sessionIndex.find(this.state.sessions, id);
  }

  snapshot(id: ObjectId): EmulatorSnapshot | undefined {
    return this.snapshotIndex.find(this.state.snapshots, id);
  }

  /** Users and teams can own key results. */
  isOwner(id: ObjectId): boolean {
    return this.state.users.some((user) => user.id === id) || this.state.teams.some((team) => team.id === id);
  }

  removeMetric(id: ObjectId): boolean {
    const position = this.metricIndex.indexOf(this.state.metrics, id);
    if (position < 0) return false;
    this.state.metrics.splice(position, 1);
    this.state.snapshots = this.state.snapshots.filter((snapshot) => snapshot.metricId !== id);
    return true;
  }

  removeSnapshot(id: ObjectId): boolean {
    const position = this.snapshotIndex.indexOf(this.state.snapshots, id);
    if (position < 0) return false;
    this.state.snapshots.splice(position, 1);
    return true;
  }
}
