import type { EntityManager } from 'typeorm';

/**
 * Rows of an UPDATE/DELETE … RETURNING. TypeORM's postgres driver answers those as
 * `[rows, rowCount]` and every other statement as `rows`; this hides the difference.
 */
export async function returning<T>(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const res = (await manager.query(sql, params)) as unknown;
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number')
    return res[0] as T[];
  return res as T[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that cannot exist are answered without asking PostgreSQL (which would raise on them). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
