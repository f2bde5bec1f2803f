import pg from 'pg';
import type { ReplicaCandidate } from './replica-strategies.js';

/** One read replica: its own pool and what the health loop last learned about it. */
export class ReplicaNode implements ReplicaCandidate {
  readonly name: string;
  readonly pool: pg.Pool;
  /** Only healthy replicas receive reads; a new node starts out until its first probe passes. */
  healthy = false;
  lagSeconds = Number.NaN;
  latencyMs = 1;
  outstanding = 0;
  lastError?: string;

  constructor(
    url: string,
    options: { poolSize: number; connectTimeoutMs: number; appName: string },
  ) {
    const parsed = new URL(url);
    this.name = `${parsed.hostname}:${parsed.port || '5432'}`;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize,
      connectionTimeoutMillis: options.connectTimeoutMs,
      application_name: options.appName,
      // A replica that stops answering must not hold a request for ever.
      query_timeout: 30_000,
    });
    // Without a listener, an idle client's error (replica restarted) would crash the process.
    this.pool.on('error', (err) => {
      this.lastError = err.message;
    });
  }

  /** Folds a new probe round trip into the smoothed latency. */
  recordLatency(ms: number): void {
    this.latencyMs = this.latencyMs * 0.7 + ms * 0.3;
  }

  markDown(reason: string): void {
    this.healthy = false;
    this.lastError = reason;
  }
}
