import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

/** Metrics the inventory context defines (registered in the process-wide registry). */
export const INVENTORY_METRIC = {
  paidAfterExpiry: 'scaleshop_inventory_paid_after_expiry_total',
} as const;

export const inventoryMetricProviders = [
  makeCounterProvider({
    name: INVENTORY_METRIC.paidAfterExpiry,
    help: 'Orders paid after their stock reservation had already expired (stock not held for them)',
  }),
];
