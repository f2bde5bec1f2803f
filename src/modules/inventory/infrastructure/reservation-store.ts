import type { EntityManager } from 'typeorm';
import type { ReservationView, StockLine } from '../inventory.contract.js';

interface ReservationRow {
  id: string;
  reference: string;
  status: ReservationView['status'];
  expires_at: Date;
  lines: StockLine[];
}

const SELECT_VIEW = `
SELECT r.id, r.reference, r.status, r.expires_at,
       COALESCE((SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity) ORDER BY l.sku)
                   FROM inventory.reservation_lines l WHERE l.reservation_id = r.id), '[]') AS lines
  FROM inventory.reservations r`;

/** The reservation made for `reference`, if any (reserve's idempotency). */
export async function reservationByReference(
  manager: EntityManager,
  reference: string,
): Promise<ReservationView | undefined> {
  const rows = (await manager.query(`${SELECT_VIEW} WHERE r.reference = $1`, [
    reference,
  ])) as ReservationRow[];
  return rows[0] ? toView(rows[0]) : undefined;
}

/** A reservation's lines, in SKU order (the lock order of every stock update). */
export async function reservationLines(
  manager: EntityManager,
  reservationIds: readonly string[],
): Promise<StockLine[]> {
  const rows = (await manager.query(
    `SELECT sku, sum(quantity)::int AS quantity FROM inventory.reservation_lines
      WHERE reservation_id = ANY($1::uuid[]) GROUP BY sku ORDER BY sku COLLATE "C"`,
    [reservationIds],
  )) as StockLine[];
  return rows;
}

/** Inserts a held reservation and its lines; returns its view. */
export async function insertReservation(
  manager: EntityManager,
  id: string,
  reference: string,
  lines: readonly StockLine[],
  ttlMs: number,
): Promise<ReservationView> {
  const [row] = (await manager.query(
    `INSERT INTO inventory.reservations (id, reference, status, expires_at)
     VALUES ($1, $2, 'held', now() + make_interval(secs => $3::double precision / 1000))
     RETURNING expires_at`,
    [id, reference, ttlMs],
  )) as { expires_at: Date }[];
  await manager.query(
    `INSERT INTO inventory.reservation_lines (reservation_id, sku, quantity)
     SELECT $1, sku, quantity FROM unnest($2::text[], $3::int[]) AS t(sku, quantity)`,
    [id, lines.map((l) => l.sku), lines.map((l) => l.quantity)],
  );
  return toView({ id, reference, status: 'held', expires_at: row.expires_at, lines: [...lines] });
}

function toView(row: ReservationRow): ReservationView {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    lines: row.lines,
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}
