/**
 * One PostgreSQL schema step: the same id and name as the SQLite step of the same number
 * (store/migrations/), so both schemas move in step; `up` runs inside the migration transaction.
 */
export interface PostgresMigration {
  id: number;
  name: string;
  up: string;
}
