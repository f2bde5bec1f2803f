import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * One JSON line per request at info level, carrying the request id (from the request context via
 * the logger's mixin) so a request can be followed into the jobs it caused.
 */
export function registerAccessLog(fastify: FastifyInstance, logger: Logger): void {
  if (!logger.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    logger.info({
      msg: 'request completed',
      requestId: request.scaleshopContext?.requestId,
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    });
    done();
  });
}
