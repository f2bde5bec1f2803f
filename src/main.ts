import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module.js';
import { loadConfigOrExit } from './platform/config/app-config.js';
import { DrainState } from './platform/health/drain-state.js';
import { configureHttp } from './platform/http/configure-http.js';
import { ProblemFastifyAdapter } from './platform/http/problem-fastify-adapter.js';
import { createRootLogger, PinoNestLogger } from './platform/observability/logger.js';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createRootLogger(config.logLevel);
  const adapter = new ProblemFastifyAdapter({
    bodyLimit: config.http.bodyLimit,
    genReqId: () => randomUUID(),
    trustProxy: process.env.TRUST_PROXY ?? false,
    // New requests during close get 503 while in-flight ones finish.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Keeps the request bytes (req.rawBody) that Nest's JSON parser reads anyway: webhook
    // signatures are checked against them, not against a re-serialisation.
    rawBody: true,
  });
  await configureHttp(app, config, logger);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    // Readiness turns 503 first, so the load balancer stops sending before we stop accepting.
    app.get(DrainState).startDraining();
    await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
    await app.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', (s) => void shutdown(s));
  process.once('SIGINT', (s) => void shutdown(s));

  await app.listen({ port: config.http.port, host: config.http.host });
  logger.info({ modules: config.modules, port: config.http.port }, 'listening');
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(
    `Fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
