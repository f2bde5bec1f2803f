import { ADMIN } from './test-env.js';

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch + JSON, with an optional bearer token. The body is parsed when it is JSON. */
export async function api<T = Record<string, unknown>>(
  base: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  const res = await fetch(`${base}${path}`, { method: init.method ?? 'GET', headers, body });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const parsed = type.includes('json') && text ? (JSON.parse(text) as T) : (text as unknown as T);
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Access token of the admin created from ADMIN_EMAIL/ADMIN_PASSWORD at start. */
export async function adminToken(base: string): Promise<string> {
  const res = await api<{ accessToken: string }>(base, '/api/v1/auth/login', {
    method: 'POST',
    body: ADMIN,
  });
  if (res.status !== 200)
    throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

/** Registers a fresh customer and returns its tokens. */
export async function newCustomer(
  base: string,
): Promise<{ email: string; accessToken: string; refreshToken: string }> {
  const email = `c${Date.now()}${Math.floor(Math.random() * 1e6)}@example.com`;
  const password = 'customer-password-123';
  const reg = await api(base, '/api/v1/auth/register', {
    method: 'POST',
    body: { email, password },
  });
  if (reg.status !== 201)
    throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await api<{ accessToken: string; refreshToken: string }>(
    base,
    '/api/v1/auth/login',
    {
      method: 'POST',
      body: { email, password },
    },
  );
  return { email, ...login.body };
}

/** Creates a product through the admin API. */
export async function createProduct(
  base: string,
  token: string,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; slug: string; version: number }> {
  const res = await api<{ id: string; slug: string; version: number }>(
    base,
    '/api/v1/admin/products',
    {
      method: 'POST',
      token,
      body: {
        name: `Product ${Math.random().toString(36).slice(2, 8)}`,
        priceMinor: 1000,
        currency: 'EUR',
        ...fields,
      },
    },
  );
  if (res.status !== 201)
    throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Reads one sample of a Prometheus metric from /metrics (sum over series matching `labels`). */
export async function metric(
  base: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const lbl = Object.fromEntries(
      [...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]] as [string, string]),
    );
    if (Object.entries(labels).every(([k, v]) => lbl[k] === v)) sum += Number(m[4]);
  }
  return sum;
}
