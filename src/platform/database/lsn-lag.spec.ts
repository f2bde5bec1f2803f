import { LsnLagEstimator, parseLsn } from './lsn-lag.js';

describe('LsnLagEstimator', () => {
  it('parses LSNs into ordered numbers', () => {
    expect(parseLsn('0/10')).toBe(16n);
    expect(parseLsn('1/0')).toBe(2n ** 32n);
    expect(parseLsn('1/0') > parseLsn('0/FFFFFFFF')).toBe(true);
  });

  it('reports no lag for a replica that replayed the latest position, however old it is', () => {
    const lag = new LsnLagEstimator();
    lag.recordPrimary('0/100', 1_000);
    lag.recordPrimary('0/100', 60_000);
    expect(lag.lagMs('0/100', 120_000)).toBe(0);
  });

  it('measures lag from the first primary position the replica has not replayed', () => {
    const lag = new LsnLagEstimator();
    lag.recordPrimary('0/100', 1_000);
    lag.recordPrimary('0/200', 2_000);
    lag.recordPrimary('0/300', 3_000);
    expect(lag.lagMs('0/100', 5_000)).toBe(3_000);
    expect(lag.lagMs('0/250', 5_000)).toBe(2_000);
    expect(lag.lagMs('0/300', 5_000)).toBe(0);
  });

  it('keeps a bounded history', () => {
    const lag = new LsnLagEstimator(2);
    lag.recordPrimary('0/1', 1);
    lag.recordPrimary('0/2', 2);
    lag.recordPrimary('0/3', 3);
    expect(lag.lagMs('0/0', 10)).toBe(8);
  });
});
