import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  newRequestContext,
  runInContext,
  sanitizeRequestId,
  type RequestContext,
} from '../context/request-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    scaleshopContext?: RequestContext;
  }
}

/**
 * Opens the request's context (request id, read-your-writes flag, query counts) and re-enters it
 * before the handler: body parsing runs on socket events, outside the context entered at
 * onRequest, so it is restored in preHandler.
 */
export function registerRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const ctx = newRequestContext(sanitizeRequestId(request.headers['x-request-id']));
    request.scaleshopContext = ctx;
    reply.header('x-request-id', ctx.requestId);
    runInContext(ctx, done);
  });
  fastify.addHook('preHandler', (request: FastifyRequest, _reply, done) => {
    const ctx = request.scaleshopContext;
    if (ctx) runInContext(ctx, done);
    else done();
  });
}
