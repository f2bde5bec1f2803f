import {
  Controller,
  Get,
  OnApplicationShutdown,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/access.decorator.js';
import { DependencyHealthIndicator } from './dependency-health.indicator.js';
import { DrainState } from './drain-state.js';

/** Probes for the load balancer and the orchestrator. */
@ApiTags('health')
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  constructor(
    private readonly health: HealthCheckService,
    private readonly deps: DependencyHealthIndicator,
    private readonly drain: DrainState,
  ) {}

  /** The process is alive and its event loop turns. */
  @Get('live')
  @Public()
  live() {
    return { status: 'ok' };
  }

  /** Ready to take traffic: 503 while draining or when a required dependency is down. */
  @Get('ready')
  @Public()
  @HealthCheck()
  ready() {
    if (this.drain.draining) throw new ServiceUnavailableException('Draining for shutdown');
    return this.health.check([
      () => this.deps.primary(),
      () => this.deps.replicas(),
      () => this.deps.queueRedisCheck(),
      () => this.deps.cacheRedisCheck(),
    ]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.deps.close();
  }
}
