import type { DataSource } from 'typeorm';

/**
 * Runs a read-only SQL statement through the read router (a healthy replica, or the primary when
 * this request has written or no replica is healthy). `dataSource.query()` would always use the
 * primary.
 */
export async function readQuery<T>(
  dataSource: DataSource,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const runner = dataSource.createQueryRunner('slave');
  try {
    return (await runner.query(sql, params)) as T[];
  } finally {
    await runner.release();
  }
}
