import { AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { api } from '../support/http.js';

/** Logs are JSON lines, and each request's lines carry its request id. */
describe('structured logs', () => {
  let app: AppProcess;

  beforeAll(async () => {
    app = await AppProcess.start({ ROLE: 'api', LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('writes one JSON line per request with the request id and the route template', async () => {
    const res = await api(app.url, '/api/v1/products/00000000-0000-4000-8000-000000000000', {
      headers: { 'x-request-id': 'log-trace-1' },
    });
    expect(res.status).toBe(404);
    const line = await eventually(() => {
      const found = app.logs
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.requestId === 'log-trace-1' && l.msg === 'request completed');
      if (!found) throw new Error('no access log line yet');
      return found;
    });
    expect(line).toMatchObject({
      level: 'info',
      route: '/api/v1/products/:id',
      status: 404,
      method: 'GET',
    });
    // Every line the process wrote is JSON.
    for (const l of app.logs.split('\n').filter(Boolean))
      expect(() => JSON.parse(l) as unknown).not.toThrow();
  });
});
