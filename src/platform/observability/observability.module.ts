import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { metricProviders } from './metrics.providers.js';
import { MetricsController } from './metrics.controller.js';
import { HttpMetricsHook } from './http-metrics.hook.js';

/** Metrics registry, default process metrics and the /metrics endpoint. */
@Global()
@Module({
  imports: [
    PrometheusModule.register({
      controller: MetricsController,
      defaultMetrics: { enabled: true },
    }),
  ],
  providers: [...metricProviders, HttpMetricsHook],
  exports: [...metricProviders, HttpMetricsHook],
})
export class ObservabilityModule {}
