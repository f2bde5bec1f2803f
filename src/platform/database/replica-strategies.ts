import type { ReplicaStrategyName } from '../config/config.schema.js';

/** What a strategy may look at when it picks a replica for a read. */
export interface ReplicaCandidate {
  readonly name: string;
  /** Connections currently checked out of this replica's pool. */
  readonly outstanding: number;
  /** Smoothed round-trip time of the health probe, in ms. */
  readonly latencyMs: number;
}

/** Picks one of the healthy replicas (never called with an empty list). */
export interface ReplicaSelectionStrategy {
  readonly name: ReplicaStrategyName;
  pick<T extends ReplicaCandidate>(candidates: readonly T[]): T;
}

export class RoundRobinStrategy implements ReplicaSelectionStrategy {
  readonly name = 'round-robin';
  private next = 0;

  pick<T extends ReplicaCandidate>(candidates: readonly T[]): T {
    const chosen = candidates[this.next % candidates.length];
    this.next = (this.next + 1) % Number.MAX_SAFE_INTEGER;
    return chosen;
  }
}

/** Fewest checked-out connections wins; ties rotate so equal replicas share the load. */
export class LeastOutstandingStrategy implements ReplicaSelectionStrategy {
  readonly name = 'least-outstanding';
  private readonly tieBreak = new RoundRobinStrategy();

  pick<T extends ReplicaCandidate>(candidates: readonly T[]): T {
    const least = Math.min(...candidates.map((c) => c.outstanding));
    return this.tieBreak.pick(candidates.filter((c) => c.outstanding === least));
  }
}

/**
 * Weighted random choice with weight 1/latency: a replica twice as fast gets twice the reads,
 * while a slow one still gets some, so its latency keeps being measured.
 */
export class LatencyWeightedStrategy implements ReplicaSelectionStrategy {
  readonly name = 'latency-weighted';
  constructor(private readonly random: () => number = Math.random) {}

  pick<T extends ReplicaCandidate>(candidates: readonly T[]): T {
    const weights = candidates.map((c) => 1 / Math.max(c.latencyMs, 0.1));
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.random() * total;
    for (let i = 0; i < candidates.length; i++) {
      r -= weights[i];
      if (r < 0) return candidates[i];
    }
    return candidates[candidates.length - 1];
  }
}

export function createReplicaStrategy(name: ReplicaStrategyName): ReplicaSelectionStrategy {
  switch (name) {
    case 'round-robin':
      return new RoundRobinStrategy();
    case 'least-outstanding':
      return new LeastOutstandingStrategy();
    case 'latency-weighted':
      return new LatencyWeightedStrategy();
  }
}
