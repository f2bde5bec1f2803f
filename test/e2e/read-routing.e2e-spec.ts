import type pg from 'pg';
import { AppProcess } from '../support/app-process.js';
import { primary, replica } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, createProduct } from '../support/http.js';
import {
  pauseReplay,
  replicaCtl,
  resumeReplay,
  waitForReplayCatchUp,
} from '../support/replica-control.js';

interface Page {
  items: { id: string }[];
}
interface Ready {
  info?: { replicas: { replicas: { healthy: boolean }[] } };
  details?: { replicas: { replicas: { healthy: boolean }[] } };
}

/**
 * Read/write routing against the real primary and streaming replica. Which server answered is
 * proved by the data, not by trusting configuration: with WAL replay paused on the replica, a row
 * just written to the primary is invisible to reads served by the replica.
 */
describe('read/write routing over primary and streaming replica', () => {
  let app: AppProcess;
  let db: pg.Pool;
  let standby: pg.Pool;
  let token: string;

  const listIds = async () =>
    (await api<Page>(app.url, '/api/v1/products?limit=100')).body.items.map((p) => p.id);
  /** The worker has written the product's document on the primary. */
  const documentOnPrimary = (id: string) =>
    eventually(async () => {
      const { rowCount } = await db.query(
        'SELECT 1 FROM catalog.product_documents WHERE product_id = $1',
        [id],
      );
      expect(rowCount).toBe(1);
    });
  const replicaHealthy = async () => {
    const res = await api<Ready>(app.url, '/health/ready');
    return (res.body.details ?? res.body.info)?.replicas.replicas[0]?.healthy;
  };

  beforeAll(async () => {
    db = primary();
    standby = replica();
    // No response cache here: every GET must reach the database. ROLE=all so that the worker
    // builds the product documents the shop list reads.
    app = await AppProcess.start({
      ROLE: 'all',
      CACHE_ENABLED: 'false',
      REPLICA_MAX_LAG_MS: '2000',
    });
    token = await adminToken(app.url);
    await eventually(async () => expect(await replicaHealthy()).toBe(true));
  });

  afterEach(async () => {
    await resumeReplay(standby).catch(() => undefined);
  });

  afterAll(async () => {
    replicaCtl('start');
    await resumeReplay(standby).catch(() => undefined);
    await app.stop();
    await db.end();
    await standby.end();
  });

  it('serves reads from the replica and writes on the primary, with read-your-writes', async () => {
    await waitForReplayCatchUp(db, standby);
    await pauseReplay(standby);

    // The write lands on the primary; the same request reads it back (outside its transaction)
    // from the primary, although the replica cannot see it.
    const created = await createProduct(app.url, token, { name: 'Written while replay paused' });
    expect(created.id).toBeDefined();
    const onPrimary = await db.query('SELECT 1 FROM catalog.products WHERE id = $1', [created.id]);
    expect(onPrimary.rowCount).toBe(1);
    const onReplica = await standby.query('SELECT 1 FROM catalog.products WHERE id = $1', [
      created.id,
    ]);
    expect(onReplica.rowCount).toBe(0);

    // A later, separate read request goes to the replica, which does not have the row yet
    // although the primary has its shop document.
    await documentOnPrimary(created.id);
    expect(await listIds()).not.toContain(created.id);

    await resumeReplay(standby);
    await eventually(async () => expect(await listIds()).toContain(created.id));
  });

  it('takes a lagging replica out of rotation and puts it back when it catches up', async () => {
    await pauseReplay(standby);
    const created = await createProduct(app.url, token, { name: 'Lag test' });
    // Past REPLICA_MAX_LAG_MS the health loop ejects the replica, so reads see the primary's row.
    await eventually(async () => expect(await replicaHealthy()).toBe(false), { timeoutMs: 10_000 });
    await documentOnPrimary(created.id);
    expect(await listIds()).toContain(created.id);

    await resumeReplay(standby);
    await eventually(async () => expect(await replicaHealthy()).toBe(true), { timeoutMs: 10_000 });
  });

  it('keeps answering from the primary while the replica is down, and uses it again after', async () => {
    replicaCtl('stop');
    for (let i = 0; i < 20; i++) {
      const res = await api<Page>(app.url, '/api/v1/products?limit=5');
      expect(res.status).toBe(200);
    }
    await eventually(async () => expect(await replicaHealthy()).toBe(false));
    const ready = await api(app.url, '/health/ready');
    expect(ready.status).toBe(200); // degraded is still ready

    replicaCtl('start');
    await eventually(async () => expect(await replicaHealthy()).toBe(true), { timeoutMs: 20_000 });

    // Proof that reads reach the replica again: pause it and a new row stays invisible.
    await waitForReplayCatchUp(db, standby);
    await pauseReplay(standby);
    const created = await createProduct(app.url, token, { name: 'After replica restart' });
    await documentOnPrimary(created.id);
    expect(await listIds()).not.toContain(created.id);
  });
});
