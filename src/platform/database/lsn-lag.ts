/** Parses a PostgreSQL LSN such as `16/B374D848` into a comparable number. */
export function parseLsn(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  if (hi === undefined || lo === undefined) throw new Error(`Not an LSN: ${lsn}`);
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/**
 * Estimates replica lag in time from the primary's WAL positions sampled by the health loop:
 * the lag is the age of the oldest primary sample the replica has not yet replayed. Unlike
 * `now() - pg_last_xact_replay_timestamp()`, this does not report a large lag for a replica of a
 * primary that was simply idle, and unlike comparing received and replayed positions it notices a
 * replica that has stopped receiving WAL.
 */
export class LsnLagEstimator {
  private readonly samples: { lsn: bigint; at: number }[] = [];

  constructor(private readonly maxSamples = 300) {}

  recordPrimary(lsn: string, at: number): void {
    const value = parseLsn(lsn);
    const last = this.samples[this.samples.length - 1];
    // Only positions that moved matter: an unchanged position keeps its first sighting time.
    if (last && last.lsn === value) return;
    this.samples.push({ lsn: value, at });
    if (this.samples.length > this.maxSamples) this.samples.shift();
  }

  /** Lag in ms of a replica that has replayed up to `replayLsn`, measured at `now`. */
  lagMs(replayLsn: string, now: number): number {
    const replayed = parseLsn(replayLsn);
    // Samples are in LSN order, so the first one beyond the replayed position is the oldest.
    const pending = this.samples.find((s) => s.lsn > replayed);
    return pending ? Math.max(0, now - pending.at) : 0;
  }
}
