import { IdIndex } from './id-index.js';
import { ObjectIdFactory } from './object-id.js';
import type {
  EmulatorGoal,
  EmulatorMetric,
  EmulatorSession,
  EmulatorSnapshot,
  EmulatorState,
  EmulatorTeam,
  EmulatorUser,
  ObjectId,
} from './types.js';

/** The live state plus what handlers need to work on it: id lookups, id generation, the clock. */
export class EmulatorModel {
  readonly ids: ObjectIdFactory;
  /** The emulator's own origin (set once it listens); metric and goal `url`s point at its web page. */
  webBaseUrl = 'http://127.0.0.1';
  private generation = 0;
  private readonly metricIndex = new IdIndex<EmulatorMetric>();
  private readonly goalIndex = new IdIndex<EmulatorGoal>();
  private readonly sessionIndex = new IdIndex<EmulatorSession>();
  private readonly snapshotIndex = new IdIndex<EmulatorSnapshot>();
  private readonly userIndex = new IdIndex<EmulatorUser>();
  private readonly teamIndex = new IdIndex<EmulatorTeam>();

  constructor(
    readonly state: EmulatorState,
    readonly now: () => Date,
  ) {
    this.ids = new ObjectIdFactory(now);
  }

  /** Called once per request: what tests changed in the state since the last request becomes visible. */
  beginRequest(): void {
    this.generation += 1;
  }

  metric(id: ObjectId): EmulatorMetric | undefined {
    return this.metricIndex.find(this.state.metrics, id, this.generation);
  }

  goal(id: ObjectId): EmulatorGoal | undefined {
    return this.goalIndex.find(this.state.goals, id, this.generation);
  }

  session(id: ObjectId): EmulatorSession | undefined {
    return this.sessionIndex.find(this.state.sessions, id, this.generation);
  }

  snapshot(id: ObjectId): EmulatorSnapshot | undefined {
    return this.snapshotIndex.find(this.state.snapshots, id, this.generation);
  }

  user(id: ObjectId): EmulatorUser | undefined {
    return this.userIndex.find(this.state.users, id, this.generation);
  }

  team(id: ObjectId): EmulatorTeam | undefined {
    return this.teamIndex.find(this.state.teams, id, this.generation);
  }

  /** Users and teams can own key results. */
  isOwner(id: ObjectId): boolean {
    return this.user(id) !== undefined || this.team(id) !== undefined;
  }

  removeMetric(id: ObjectId): boolean {
    const position = this.metricIndex.position(this.state.metrics, id, this.generation);
    if (position < 0) return false;
    this.state.metrics.splice(position, 1);
    this.metricIndex.invalidate();
    this.state.snapshots = this.state.snapshots.filter((snapshot) => snapshot.metricId !== id);
    return true;
  }

  removeSnapshot(id: ObjectId): boolean {
    const position = this.snapshotIndex.position(this.state.snapshots, id, this.generation);
    if (position < 0) return false;
    this.state.snapshots.splice(position, 1);
    this.snapshotIndex.invalidate();
    return true;
  }
}
