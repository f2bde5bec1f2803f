import { readEnvelope } from '../../domain/provider-event.js';
import {
  buildEvent,
  outcomeOf,
  readTestProviderEvent,
  TEST_EVENT_TYPES,
  type TestProviderIntent,
} from './test-provider-events.js';

const intent: TestProviderIntent = {
  id: 'pi_abc',
  orderId: '3f1c2a7e-0000-4000-8000-000000000001',
  amountMinor: 4200,
  currency: 'EUR',
  paymentMethod: 'pm_card_visa',
  status: 'requires_confirmation',
  created: 1_764_374_400,
};

/** What the webhook receiver sees: the event after a JSON round trip. */
const overTheWire = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('test provider events', () => {
  it('declines pm_card_declined and accepts other methods', () => {
    expect(outcomeOf(intent)).toBe('succeeded');
    expect(outcomeOf({ ...intent, paymentMethod: 'pm_card_declined' })).toBe('failed');
  });

  it('gives every event its own evt_ id, so redeliveries are told apart from new events', () => {
    const a = buildEvent(intent, 'processing');
    const b = buildEvent(intent, 'processing');
    expect(a.id).toMatch(/^evt_[0-9a-f]{24}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.type).toBe(TEST_EVENT_TYPES.processing);
  });

  it.each([
    ['processing', undefined],
    ['succeeded', undefined],
    ['failed', 'card_declined'],
  ] as const)('reads back what it sends: %s', (status, failureReason) => {
    const envelope = readEnvelope(overTheWire(buildEvent(intent, status)));
    expect(envelope).not.toBeNull();
    expect(readTestProviderEvent(envelope!.type, envelope!.payload)).toEqual({
      providerPaymentId: 'pi_abc',
      status,
      failureReason,
    });
  });

  it('says nothing about event types without a status, or without an intent', () => {
    expect(readTestProviderEvent('charge.refunded', { data: { object: { id: 'pi_1' } } })).toBe(
      null,
    );
    expect(readTestProviderEvent(TEST_EVENT_TYPES.succeeded, { data: {} })).toBeNull();
    expect(readTestProviderEvent(TEST_EVENT_TYPES.succeeded, {})).toBeNull();
  });

  it.each([
    ['not an object', 'evt'],
    ['an array', [{ id: 'evt_1', type: 'x.y' }]],
    ['null', null],
    ['no id', { type: 'payment_intent.succeeded' }],
    ['no type', { id: 'evt_1' }],
    ['an id that is not a string', { id: 1, type: 'payment_intent.succeeded' }],
    ['an id too long', { id: 'e'.repeat(201), type: 'payment_intent.succeeded' }],
  ])('rejects a body that is %s as no provider event', (_name, body) => {
    expect(readEnvelope(body)).toBeNull();
  });
});
