import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DependencyHealthIndicator } from './dependency-health.indicator.js';
import { DrainState } from './drain-state.js';
import { HealthController } from './health.controller.js';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [DrainState, DependencyHealthIndicator],
  exports: [DrainState],
})
export class HealthModule {}
