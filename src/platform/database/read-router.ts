import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { currentContext } from '../context/request-context.js';
import type { ReplicaNode } from './replica-node.js';
import type { ReplicaSelectionStrategy } from './replica-strategies.js';

type Acquired = [pg.PoolClient, (err?: Error) => void];
export type QueryTarget = 'primary' | 'replica';

/** Which server a pooled connection talks to; read by the query logger for metrics. */
const targets = new WeakMap<object, QueryTarget>();
export function targetOf(connection: object | undefined): QueryTarget {
  return (connection && targets.get(connection)) ?? 'primary';
}

/**
 * Decides where TypeORM's "slave" reads go. TypeORM itself picks a replica at random with no
 * health check, and a dead replica makes every find() fail; so the replica pools live here and
 * the driver's obtainSlaveConnection is replaced by `obtainRead`.
 */
export class ReadRouter {
  private obtainPrimary: () => Promise<Acquired> = () =>
    Promise.reject(new Error('ReadRouter is not attached to a data source'));

  constructor(
    readonly replicas: readonly ReplicaNode[],
    private readonly strategy: ReplicaSelectionStrategy,
  ) {}

  /** Takes over read routing of a (not yet initialised) TypeORM data source. */
  attach(dataSource: DataSource): void {
    const driver = dataSource.driver as PostgresDriver;
    if (typeof driver.obtainSlaveConnection !== 'function' || !driver.isReplicated) {
      // This hook patches TypeORM internals; fail loudly if an upgrade moved them.
      throw new Error('TypeORM PostgresDriver no longer exposes obtainSlaveConnection');
    }
    const originalPrimary = driver.obtainMasterConnection.bind(driver);
    this.obtainPrimary = async (): Promise<Acquired> => {
      const acquired = (await originalPrimary()) as Acquired;
      targets.set(acquired[0], 'primary');
      return acquired;
    };
    driver.obtainMasterConnection = this.obtainPrimary;
    driver.obtainSlaveConnection = () => this.obtainRead();
  }

  healthyReplicas(): ReplicaNode[] {
    return this.replicas.filter((r) => r.healthy);
  }

  async obtainRead(): Promise<Acquired> {
    // Read-your-writes: once this request has written, the replicas may not have its rows yet.
    if (currentContext()?.wrotePrimary) return this.obtainPrimary();
    const healthy = this.healthyReplicas();
    if (healthy.length === 0) return this.obtainPrimary();
    const node = this.strategy.pick(healthy);
    let client: pg.PoolClient;
    try {
      client = await node.pool.connect();
    } catch (err) {
      // Take it out now rather than wait for the next probe; the health loop puts it back.
      node.markDown(err instanceof Error ? err.message : String(err));
      return this.obtainPrimary();
    }
    targets.set(client, 'replica');
    node.outstanding++;
    let released = false;
    const release = (err?: Error) => {
      if (released) return;
      released = true;
      node.outstanding--;
      client.release(err);
    };
    return [client, release];
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => undefined)));
  }
}
