import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_METADATA } from './access.decorator.js';

const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';

/**
 * Refuses to start the app when a REST route or a GraphQL query/mutation has no access level:
 * authorisation is decided per route, never by forgetting.
 */
@Injectable()
export class AccessAuditor implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const missing: string[] = [];
    const wrappers = [...this.discovery.getControllers(), ...this.discovery.getProviders()];
    for (const wrapper of wrappers) {
      const instance = wrapper.instance as Record<string, unknown> | null | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const isRoute =
          Reflect.getMetadata(METHOD_METADATA, handler) !== undefined ||
          Reflect.getMetadata(RESOLVER_TYPE_METADATA, handler) !== undefined;
        if (!isRoute) continue;
        const level = this.reflector.getAllAndOverride<string | undefined>(ACCESS_METADATA, [
          handler as (...args: unknown[]) => unknown,
          instance.constructor,
        ]);
        if (!level) missing.push(`${(instance.constructor as { name: string }).name}.${name}`);
      }
    }
    if (missing.length) {
      throw new Error(
        `Routes without an access level (@Public/@Customer/@Admin): ${missing.join(', ')}`,
      );
    }
  }
}
