import { Injectable } from '@nestjs/common';

/** Set when the process has been asked to stop: readiness turns 503 so the balancer moves away. */
@Injectable()
export class DrainState {
  private drainingSince?: number;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  startDraining(): void {
    this.drainingSince ??= Date.now();
  }
}
