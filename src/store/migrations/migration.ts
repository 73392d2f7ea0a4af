/**
 * One schema step. `up` is SQLite SQL; a PostgreSQL implementation keeps its own list with the same
 * ids and names so that both schemas move in step.
 */
export interface Migration {
  /** Positive integer; migrations apply in ascending id order and each id applies once. */
  id: number;
  /** Short kebab-case description, recorded in schema_migrations. */
  name: string;
  up: string;
}
