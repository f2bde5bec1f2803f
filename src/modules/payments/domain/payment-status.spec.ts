import type { PaymentStatus } from '../payments.contract.js';
import { nextStatus } from './payment-status.js';

/** Applies reports in order, like the worker does, and returns the statuses reached. */
function replay(reports: PaymentStatus[]): { final: PaymentStatus; changes: PaymentStatus[] } {
  let status: PaymentStatus = 'requires_confirmation';
  const changes: PaymentStatus[] = [];
  for (const reported of reports) {
    const next = nextStatus(status, reported);
    if (next) {
      status = next;
      changes.push(next);
    }
  }
  return { final: status, changes };
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('payment intent state machine', () => {
  it('moves forward: requires_confirmation → processing → succeeded|failed', () => {
    expect(nextStatus('requires_confirmation', 'processing')).toBe('processing');
    expect(nextStatus('processing', 'succeeded')).toBe('succeeded');
    expect(nextStatus('processing', 'failed')).toBe('failed');
  });

  it('skips processing when the final event comes first', () => {
    expect(nextStatus('requires_confirmation', 'succeeded')).toBe('succeeded');
    expect(nextStatus('requires_confirmation', 'failed')).toBe('failed');
  });

  it('ignores duplicates and reports of an earlier stage', () => {
    expect(nextStatus('processing', 'processing')).toBeNull();
    expect(nextStatus('processing', 'requires_confirmation')).toBeNull();
    expect(nextStatus('requires_confirmation', 'requires_confirmation')).toBeNull();
  });

  it('never leaves a final status', () => {
    for (const final of ['succeeded', 'failed'] as const) {
      for (const reported of [
        'requires_confirmation',
        'processing',
        'succeeded',
        'failed',
      ] as const) {
        expect(nextStatus(final, reported)).toBeNull();
      }
    }
  });

  it.each(permutations<PaymentStatus>(['processing', 'succeeded']))(
    'reaches succeeded exactly once for %s then %s',
    (...order: PaymentStatus[]) => {
      const { final, changes } = replay(order);
      expect(final).toBe('succeeded');
      expect(changes.filter((c) => c === 'succeeded')).toHaveLength(1);
    },
  );

  it('keeps the first final status in every order of processing, succeeded and failed', () => {
    for (const order of permutations<PaymentStatus>(['processing', 'succeeded', 'failed'])) {
      const { final, changes } = replay(order);
      const firstFinal = order.find((s) => s !== 'processing');
      expect(final).toBe(firstFinal);
      expect(changes.filter((c) => c === 'succeeded' || c === 'failed')).toEqual([firstFinal]);
      // processing counts only when it came before the final event
      const processingFirst = order.indexOf('processing') < order.indexOf(firstFinal!);
      expect(changes.includes('processing')).toBe(processingFirst);
    }
  });

  it('is unmoved by any number of repeats in any order', () => {
    const deliveries: PaymentStatus[] = [
      'succeeded',
      'processing',
      'succeeded',
      'succeeded',
      'processing',
      'succeeded',
      'succeeded',
    ];
    const { final, changes } = replay(deliveries);
    expect(final).toBe('succeeded');
    expect(changes).toEqual(['succeeded']);
  });
});
