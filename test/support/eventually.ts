/**
 * Polls `probe` until it returns without throwing, or fails with its last error after `timeoutMs`.
 * Tests wait with this, never with a fixed sleep.
 */
export async function eventually<T>(
  probe: () => Promise<T> | T,
  { timeoutMs = 15_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await probe();
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
