import {
  LatencyWeightedStrategy,
  LeastOutstandingStrategy,
  RoundRobinStrategy,
  createReplicaStrategy,
  type ReplicaCandidate,
} from './replica-strategies.js';

const replica = (name: string, outstanding = 0, latencyMs = 1): ReplicaCandidate => ({
  name,
  outstanding,
  latencyMs,
});

describe('replica selection strategies', () => {
  it('round robin visits each replica in turn', () => {
    const s = new RoundRobinStrategy();
    const all = [replica('a'), replica('b'), replica('c')];
    expect([1, 2, 3, 4, 5, 6].map(() => s.pick(all).name)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('least outstanding prefers the idlest replica and rotates among ties', () => {
    const s = new LeastOutstandingStrategy();
    expect(s.pick([replica('a', 3), replica('b', 1), replica('c', 2)]).name).toBe('b');
    const tied = [replica('a', 1), replica('b', 1), replica('c', 5)];
    expect(new Set([s.pick(tied).name, s.pick(tied).name])).toEqual(new Set(['a', 'b']));
  });

  it('latency weighted sends reads in inverse proportion to latency', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const s = new LatencyWeightedStrategy(random);
    const all = [replica('fast', 0, 1), replica('slow', 0, 4)];
    const counts = { fast: 0, slow: 0 };
    for (let i = 0; i < 10_000; i++) counts[s.pick(all).name as 'fast' | 'slow']++;
    // Expected split 4:1 (80% / 20%).
    expect(counts.fast / 10_000).toBeGreaterThan(0.75);
    expect(counts.fast / 10_000).toBeLessThan(0.85);
  });

  it('is chosen by configured name', () => {
    expect(createReplicaStrategy('least-outstanding')).toBeInstanceOf(LeastOutstandingStrategy);
    expect(createReplicaStrategy('latency-weighted')).toBeInstanceOf(LatencyWeightedStrategy);
    expect(createReplicaStrategy('round-robin')).toBeInstanceOf(RoundRobinStrategy);
  });
});
