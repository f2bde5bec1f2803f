import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config/app-config.js';

export const TEST_WEBHOOK_PATH = '/api/v1/payments/webhooks/test';

/**
 * Where the test provider delivers: PAYMENTS_TEST_WEBHOOK_URL, or else this process's own
 * listening address, read at send time (the port may be chosen by the OS at listen).
 */
@Injectable()
export class TestWebhookTarget {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  url(): string {
    if (this.config.payments.testWebhookUrl) return this.config.payments.testWebhookUrl;
    if (this.config.role === 'worker') {
      throw new Error(
        'PAYMENTS_TEST_WEBHOOK_URL must be set: a ROLE=worker process serves no webhook route, so the test provider cannot deliver to itself',
      );
    }
    const server = this.adapterHost.httpAdapter?.getHttpServer() as
      { address(): AddressInfo | string | null } | undefined;
    const address = server?.address();
    if (!address || typeof address === 'string') {
      throw new Error('the test provider has no webhook URL: this process is not listening yet');
    }
    return `http://${loopbackFor(address)}:${address.port}${TEST_WEBHOOK_PATH}`;
  }
}

/** A wildcard listen address is reached over loopback; a specific one as it is. */
function loopbackFor(address: AddressInfo): string {
  if (address.address === '0.0.0.0') return '127.0.0.1';
  if (address.address === '::') return '[::1]';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}
