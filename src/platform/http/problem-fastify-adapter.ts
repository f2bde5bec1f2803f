import { FastifyAdapter } from '@nestjs/platform-fastify';

/**
 * Nest installs its Fastify error handler after the routes are registered, so routes keep
 * Fastify's default one and errors raised before a handler (bad JSON, body too large) would skip
 * the problem+json mapping. configureHttp installs the problem+json handler before the routes
 * exist instead; this adapter declines Nest's later, second installation (which Fastify would
 * otherwise warn about as an override).
 */
export class ProblemFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(): ReturnType<FastifyAdapter['setErrorHandler']> {
    return this.getInstance();
  }
}
