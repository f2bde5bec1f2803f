import { Queue } from 'bullmq';
import { AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, newCustomer } from '../support/http.js';

const MODULES = 'identity,catalog,ordering,notifications';

/** Bull Board under /admin/queues: admins only, every queue, and queue metrics for all of them. */
describe('queue dashboard', () => {
  const prefix = `qd${Date.now()}`;
  let apiProcess: AppProcess;
  let worker: AppProcess;
  let admin: string;
  let customer: string;
  let inbox: Queue;

  beforeAll(async () => {
    apiProcess = await AppProcess.start({ ROLE: 'api', MODULES, QUEUE_PREFIX: prefix });
    worker = await AppProcess.start({ ROLE: 'worker', MODULES, QUEUE_PREFIX: prefix });
    admin = await adminToken(apiProcess.url);
    customer = (await newCustomer(apiProcess.url)).accessToken;
    inbox = new Queue('notifications-inbox', {
      connection: { host: '127.0.0.1', port: 6379 },
      prefix,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await apiProcess?.stop();
    await inbox?.close();
    for (const name of ['notifications-inbox', 'notifications-send', 'catalog-inbox']) {
      const q = new Queue(name, { connection: { host: '127.0.0.1', port: 6379 }, prefix });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
  });

  it.each(['/admin/queues', '/admin/queues/api/queues'])(
    '%s: 401 without or with a bad token, 403 for a customer, 200 for an admin',
    async (path) => {
      const none = await api(apiProcess.url, path);
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(none.body).toMatchObject({ status: 401, code: 'auth.unauthenticated' });
      const forged = await api(apiProcess.url, path, { token: `${admin.slice(0, -4)}AAAA` });
      expect(forged.status).toBe(401);
      const asCustomer = await api(apiProcess.url, path, { token: customer });
      expect(asCustomer.status).toBe(403);
      expect(asCustomer.body).toMatchObject({ status: 403, code: 'auth.forbidden' });
      const asAdmin = await api(apiProcess.url, path, { token: admin });
      expect(asAdmin.status).toBe(200);
    },
  );

  it('lists the inbox queues and the contexts own queues', async () => {
    const res = await api<{ queues: { name: string }[] }>(
      apiProcess.url,
      '/admin/queues/api/queues',
      { token: admin },
    );
    const names = res.body.queues.map((q) => q.name);
    expect(names).toEqual(
      expect.arrayContaining(['catalog-inbox', 'notifications-inbox', 'notifications-send']),
    );
  });

  it('refuses a mutating route without credentials and leaves the queue running', async () => {
    const path = '/admin/queues/api/queues/notifications-inbox/pause';
    expect((await api(apiProcess.url, path, { method: 'PUT' })).status).toBe(401);
    expect((await api(apiProcess.url, path, { method: 'PUT', token: customer })).status).toBe(403);
    expect(await inbox.isPaused()).toBe(false);
    // The same route does pause for an admin: the refusals above were the hook, not a 404.
    expect((await api(apiProcess.url, path, { method: 'PUT', token: admin })).status).toBe(200);
    expect(await inbox.isPaused()).toBe(true);
    const resume = '/admin/queues/api/queues/notifications-inbox/resume';
    expect((await api(apiProcess.url, resume, { method: 'PUT', token: admin })).status).toBe(200);
    expect(await inbox.isPaused()).toBe(false);
  });

  it('exports per-queue job counts for the contexts own queues on /metrics', async () => {
    await eventually(async () => {
      const text = await (await fetch(`${worker.url}/metrics`)).text();
      for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) {
        expect(text).toMatch(
          new RegExp(
            `^scaleshop_queue_jobs\\{queue="notifications-send",state="${state}"\\} \\d+$`,
            'm',
          ),
        );
      }
      expect(text).toMatch(
        /^scaleshop_queue_jobs\{queue="notifications-inbox",state="waiting"\} \d+$/m,
      );
    });
  });
});
