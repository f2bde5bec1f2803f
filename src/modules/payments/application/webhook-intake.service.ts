import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import { OutboxWriter } from '../../../platform/messaging/outbox-writer.js';
import {
  InvalidSignatureError,
  InvalidWebhookPayloadError,
  StaleWebhookError,
} from '../domain/payments.errors.js';
import { readEnvelope } from '../domain/provider-event.js';
import { verifySignature } from '../domain/webhook-signature.js';
import { PAYMENTS_INTERNAL_EVENTS, type ProviderEventReceivedV1 } from '../payments.contract.js';

export interface WebhookDelivery {
  provider: string;
  signature: string | undefined;
  /**
   * The bytes as received (undefined for a content type whose parser keeps none): the signature
   * covers them, not a re-serialisation, and the event is read from these same bytes.
   */
  rawBody: Buffer | undefined;
}

/**
 * Accepts a provider's webhook: verifies it, records the event once and hands it to the worker
 * through payments' outbox, in one short transaction, so the provider gets its 2xx fast and a
 * redelivery of the same event changes nothing.
 */
@Injectable()
export class WebhookIntakeService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async receive(delivery: WebhookDelivery): Promise<{ duplicate: boolean }> {
    const verdict = verifySignature({
      header: delivery.signature,
      rawBody: delivery.rawBody ?? Buffer.alloc(0),
      secrets: this.config.payments.webhookSecrets,
      toleranceS: this.config.payments.webhookToleranceS,
      nowS: Math.floor(Date.now() / 1000),
    });
    if (verdict === 'stale') throw new StaleWebhookError(this.config.payments.webhookToleranceS);
    if (verdict !== 'valid' || !delivery.rawBody) throw new InvalidSignatureError();
    const event = readEnvelope(parseJson(delivery.rawBody));
    if (!event) throw new InvalidWebhookPayloadError();

    return this.dataSource.transaction(async (manager) => {
      const inserted = (await manager.query(
        `INSERT INTO payments.provider_events (provider, event_id, type, payload)
         VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT DO NOTHING RETURNING event_id`,
        [delivery.provider, event.id, event.type, JSON.stringify(event.payload)],
      )) as unknown[];
      if (inserted.length === 0) return { duplicate: true };
      const payload: ProviderEventReceivedV1 = { provider: delivery.provider, eventId: event.id };
      await this.outbox.append(manager, 'payments', [
        {
          type: PAYMENTS_INTERNAL_EVENTS.providerEventReceived,
          version: 1,
          payload: { ...payload },
        },
      ]);
      return { duplicate: false };
    });
  }
}

/** The body as JSON, or undefined: whatever the content type said, only JSON is an event. */
function parseJson(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  // PostgreSQL's jsonb has no NUL character: such a body could never be stored, so it is refused
  // here as a bad payload rather than failing the insert with a 500.
  if (/\\u0000/i.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
