import { Logger } from '@nestjs/common';
import { createClient } from '@redis/client';

export type CacheRedisClient = ReturnType<typeof createClient>;

/**
 * The cache's Redis connection, built so that Redis being down makes the app slower, never broken:
 * commands fail at once instead of queueing (disableOfflineQueue), a dead server is noticed within
 * connectTimeout, errors are logged instead of crashing the process, and the app boots while Redis
 * is down because connecting happens in the background and retries for ever.
 */
export function createCacheRedisClient(url: string): CacheRedisClient {
  const logger = new Logger('CacheRedis');
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 500,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** Math.min(retries, 5), 2_000),
    },
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) logger.warn(`cache Redis unavailable, bypassing the cache: ${err.message}`);
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.log('cache Redis back');
    down = false;
  });
  client.connect().catch(() => undefined);
  return client;
}
