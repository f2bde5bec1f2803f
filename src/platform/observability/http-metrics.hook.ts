import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyInstance } from 'fastify';
import type { Histogram } from 'prom-client';
import { METRIC } from './metric-names.js';

/**
 * Times every HTTP response. The route label is the route template (`/api/v1/products/:id`), never
 * the raw URL, so that label cardinality stays bounded.
 */
@Injectable()
export class HttpMetricsHook {
  constructor(@InjectMetric(METRIC.httpDuration) private readonly duration: Histogram<string>) {}

  register(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.duration.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
}
