/** Errors of applying schema migrations, shared by the SQLite and PostgreSQL stores. */
export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** The database was migrated by a newer kr-checkin than this one: running on it could corrupt state. */
export class SchemaTooNewError extends MigrationError {
  constructor(
    readonly databaseVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `The database schema is at version ${databaseVersion}, but this kr-checkin knows versions up to ${knownVersion}: ` +
        'a newer release migrated it. Run that release (or newer), or restore a backup taken before it migrated.',
    );
    this.name = 'SchemaTooNewError';
  }
}

export function checkMigrationOrder(migrations: readonly { id: number; name: string }[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.id) || migration.id <= previous) {
      throw new MigrationError(
        `Migration ids must be positive integers in ascending order: ${migration.id} (${migration.name}) follows ${previous}`,
      );
    }
    previous = migration.id;
  }
}

/** Throws SchemaTooNewError when the database records a migration this version does not know. */
export function refuseNewerSchema(appliedIds: Iterable<number>, migrations: readonly { id: number }[]): void {
  const known = new Set(migrations.map((m) => m.id));
  const unknown = [...appliedIds].filter((id) => !known.has(id));
  if (unknown.length === 0) return;
  const knownVersion = migrations.reduce((max, m) => Math.max(max, m.id), 0);
  throw new SchemaTooNewError(Math.max(...unknown), knownVersion);
}
