import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { assertAccess, verifyAccessToken } from '../auth/access-token.js';
import { sendProblem } from '../http/problem-details.filter.js';
import { toProblem } from '../http/problem-details.js';
import { QueueRegistry } from './queue-registry.js';

/** Where Bull Board lives: the UI at the path itself, its JSON API under `<path>/api`. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Mounts Bull Board (every queue of QueueRegistry) for admins. Its routes are plain Fastify routes,
 * so Nest's AccessGuard never sees them: they live in their own encapsulated Fastify scope whose
 * `onRequest` hook verifies the bearer access token with the same code as the guard, before any
 * route (UI, static files, the JSON API and its mutating PUTs) runs. Not
 * @bull-board/nestjs's `middleware` option: on Fastify it guarded only the exact path.
 *
 * A browser does not send bearer tokens for page loads: to use the UI, put it behind a proxy that
 * adds the header. The JSON API is usable as is.
 */
export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const queues = app.get(QueueRegistry).queues();
  const jwt = app.get(JwtService);
  const board = new FastifyAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: board });

  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  // Not wrapped with fastify-plugin: the hook must stay inside this scope.
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      try {
        assertAccess('admin', await verifyAccessToken(jwt, request.headers.authorization));
      } catch (err) {
        const { problem } = toProblem(err);
        return sendProblem(reply, {
          ...problem,
          instance: request.url,
          requestId: request.scaleshopContext?.requestId,
        });
      }
    });
    await scope.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
