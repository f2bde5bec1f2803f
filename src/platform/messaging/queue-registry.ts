import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Queue } from 'bullmq';

/**
 * Every BullMQ queue this process knows, for the dashboard and the queue metrics.
 *
 * Queues are discovered, not listed: any provider whose instance is a bullmq `Queue` counts, which
 * is what `BullModule.registerQueue({ name })` creates (the inbox queues of MessagingModule and each
 * context's own queues alike). So a context adds a queue to the dashboard and to /metrics by
 * registering it with BullModule — in every role, also where it runs no worker for it, or the API
 * processes' dashboard cannot show it. A `new Queue()` kept private inside a service is invisible.
 * The platform thus names no context (see .dependency-cruiser.cjs).
 */
@Injectable()
export class QueueRegistry {
  private found?: Queue[];

  constructor(private readonly discovery: DiscoveryService) {}

  /** The queues, one per name, sorted by name. Call once providers are instantiated. */
  queues(): Queue[] {
    if (this.found) return this.found;
    const byName = new Map<string, Queue>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance instanceof Queue && !byName.has(instance.name)) {
        byName.set(instance.name, instance);
      }
    }
    this.found = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    return this.found;
  }
}
