import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { LocalCacheFront } from '../cache/local-cache.front.js';
import { registerAccessLog } from '../observability/access-log.hook.js';
import { mountQueueDashboard } from '../messaging/queue-dashboard.js';
import { HttpMetricsHook } from '../observability/http-metrics.hook.js';
import { registerConditionalGet } from './conditional-get.hook.js';
import { sendProblem } from './problem-details.filter.js';
import { toProblem } from './problem-details.js';
import { registerRequestContext } from './request-context.hook.js';

/** Fastify-level wiring that Nest modules cannot express: hooks, headers, docs. */
export async function configureHttp(
  app: NestFastifyApplication,
  config: AppConfig,
  logger: Logger,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // First of all hooks: a local cache hit replies at once, with the security headers helmet set on
  // an earlier response (the same for every response) and its own request id, skipping the work
  // the other hooks do per request.
  app.get(LocalCacheFront).register(fastify);
  registerRequestContext(fastify);
  // Errors Fastify raises before a Nest handler runs (invalid JSON, body over the limit, ...) go
  // to the Fastify error handler each route captured when it was built, which is before Nest
  // installs its own; without this one they are answered with Fastify's default JSON.
  fastify.setErrorHandler((error, request, reply) => {
    const { problem, unexpected } = toProblem(error);
    if (unexpected) logger.error({ err: error }, 'unexpected error before the route handler');
    return sendProblem(reply, {
      ...problem,
      instance: request.url,
      requestId: request.scaleshopContext?.requestId,
    });
  });
  app.get(HttpMetricsHook).register(fastify);
  registerConditionalGet(fastify);
  registerAccessLog(fastify, logger);
  await app.register(helmet, {
    // Swagger UI at /docs needs inline scripts and styles; everything else is JSON.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  if (config.role !== 'worker') {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Scaleshop API')
        .setDescription('REST API of Scaleshop. Errors are RFC 9457 problem+json.')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
    // Bull Board for admins, behind its own token check (Nest guards do not run there).
    await mountQueueDashboard(app);
  }
}
