const UNIQUE_VIOLATION = '23505';

/**
 * The constraint a failed write collided with, when `err` is a PostgreSQL unique violation
 * (as TypeORM wraps it); undefined for any other error.
 */
export function uniqueViolation(err: unknown): string | undefined {
  const driverError = (err as { driverError?: { code?: string; constraint?: string } } | null)
    ?.driverError;
  return driverError?.code === UNIQUE_VIOLATION ? (driverError.constraint ?? '') : undefined;
}
