import type {
  OrderCancelledV1,
  OrderLineV1,
  OrderPaidV1,
  OrderPlacedV1,
} from '../../ordering/ordering.contract.js';
import { ORDERING_EVENTS } from '../../ordering/ordering.contract.js';
import type { TemplateInput } from '../domain/message-templates.js';

/** What an order event asks notifications to write, and to whom. */
export interface OrderMailInput {
  customerId: string;
  template: TemplateInput;
}

/** Thrown for an event whose payload lacks what the mail needs: the job fails and is kept. */
export class UnreadableOrderEventError extends Error {
  constructor(type: string, field: string) {
    super(`${type}: payload field "${field}" is missing or malformed`);
    this.name = 'UnreadableOrderEventError';
  }
}

/** Reads an ordering event into the template input of its mail. Pure; throws on bad payloads. */
export function orderMailInput(type: string, payload: Record<string, unknown>): OrderMailInput {
  const text = (field: string): string => {
    const v = payload[field];
    if (typeof v !== 'string' || v.length === 0) throw new UnreadableOrderEventError(type, field);
    return v;
  };
  const minor = (field: string): number => {
    const v = payload[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      throw new UnreadableOrderEventError(type, field);
    }
    return v;
  };
  const orderId = text('orderId');
  const customerId = text('customerId');
  switch (type) {
    case ORDERING_EVENTS.orderPlaced: {
      const lines = payload.lines as OrderPlacedV1['lines'] | undefined;
      if (!Array.isArray(lines)) throw new UnreadableOrderEventError(type, 'lines');
      return {
        customerId,
        template: {
          kind: 'order_placed',
          orderId,
          totalMinor: minor('totalMinor'),
          currency: text('currency'),
          lines: lines.map((l: OrderLineV1) => ({
            name: String(l.name),
            quantity: Number(l.quantity),
            unitPriceMinor: Number(l.unitPriceMinor),
          })),
        },
      };
    }
    case ORDERING_EVENTS.orderPaid:
      return {
        customerId,
        template: {
          kind: 'order_paid',
          orderId,
          totalMinor: minor('totalMinor' satisfies keyof OrderPaidV1),
          currency: text('currency'),
        },
      };
    case ORDERING_EVENTS.orderCancelled:
      return {
        customerId,
        template: {
          kind: 'order_cancelled',
          orderId,
          reason: text('reason' satisfies keyof OrderCancelledV1),
        },
      };
    default:
      throw new Error(`notifications does not handle ${type}`);
  }
}
