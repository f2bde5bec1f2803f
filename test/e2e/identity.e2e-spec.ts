import type pg from 'pg';
import { AppProcess } from '../support/app-process.js';
import { signHs256 } from '../support/customers.js';
import { primary } from '../support/db.js';
import { adminToken, api, type JsonResponse } from '../support/http.js';
import { ADMIN } from '../support/test-env.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  requestId?: string;
}
interface Account {
  id: string;
  email: string;
  role: string;
  createdAt: string;
}
interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}
interface GraphqlBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const PASSWORD = 'correct-horse-battery-1';

/** A unique email; `tag` shows up in failure output. */
function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e9)}@example.com`;
}

/** Asserts an RFC 9457 problem document with the given status and code. */
function expectProblem(res: JsonResponse<unknown>, status: number, code: string): Problem {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = res.body as Problem;
  expect(body).toMatchObject({ status, code });
  expect(typeof body.title).toBe('string');
  expect(typeof body.type).toBe('string');
  return body;
}

/** An HS256 JWT made by hand, so a test can choose the secret. */
async function register(base: string, email: string, password = PASSWORD) {
  return api<Account>(base, '/api/v1/auth/register', {
    method: 'POST',
    body: { email, password },
  });
}

async function login(base: string, email: string, password = PASSWORD) {
  return api<TokenPair>(base, '/api/v1/auth/login', { method: 'POST', body: { email, password } });
}

async function refresh(base: string, refreshToken: string) {
  return api<TokenPair>(base, '/api/v1/auth/refresh', { method: 'POST', body: { refreshToken } });
}

async function graphql<T>(base: string, query: string, token?: string) {
  return api<GraphqlBody<T>>(base, '/graphql', { method: 'POST', token, body: { query } });
}

/** Starts every process in parallel; if one fails, stops the others before rethrowing. */
async function startAll(envs: Record<string, string>[]): Promise<AppProcess[]> {
  const results = await Promise.allSettled(envs.map((env) => AppProcess.start(env)));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((p) => p.stop()));
    throw failed.reason;
  }
  return started;
}

describe('identity: accounts, sessions and access control', () => {
  let app: AppProcess;
  let db: pg.Pool;

  beforeAll(async () => {
    db = primary();
    // A generous limit: this block exercises credentials, not the rate limiter.
    app = await AppProcess.start({ ROLE: 'api', AUTH_RATE_LIMIT: '1000' });
  });

  afterAll(async () => {
    await app?.stop();
    await db?.end();
  });

  describe('registration', () => {
    it('creates a customer and never returns the password hash', async () => {
      const email = uniqueEmail('reg');
      const res = await register(app.url, email);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ email, role: 'customer' });
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/password/i);
      expect(text).not.toContain('$argon2');
    });

    it('refuses a second account with the same email, whatever its case', async () => {
      const email = uniqueEmail('dup');
      expect((await register(app.url, email)).status).toBe(201);

      const same = await register(app.url, email, 'another-password-123');
      expectProblem(same, 409, 'identity.email_taken');

      const shouted = await register(app.url, email.toUpperCase());
      expectProblem(shouted, 409, 'identity.email_taken');

      const { rows } = await db.query('SELECT 1 FROM identity.accounts WHERE lower(email) = $1', [
        email,
      ]);
      expect(rows).toHaveLength(1);
    });

    it('stores the password as an argon2id hash, with the email lower-cased', async () => {
      const email = uniqueEmail('Hash');
      expect((await register(app.url, email)).status).toBe(201);
      const { rows } = await db.query<{ password_hash: string }>(
        'SELECT password_hash FROM identity.accounts WHERE email = $1',
        [email.toLowerCase()],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=\d+\$/);
      expect(rows[0].password_hash).not.toContain(PASSWORD);
    });
  });

  describe('login', () => {
    let email: string;

    beforeAll(async () => {
      email = uniqueEmail('login');
      expect((await register(app.url, email)).status).toBe(201);
    });

    it('returns an access and a refresh token', async () => {
      const res = await login(app.url, email.toUpperCase());
      expect(res.status).toBe(200);
      expect(res.body.tokenType).toBe('Bearer');
      expect(res.body.accessToken.split('.')).toHaveLength(3);
      expect(res.body.refreshToken.length).toBeGreaterThanOrEqual(20);
      expect(res.body.expiresIn).toBe(900);
    });

    it('answers a wrong password and an unknown email with the same 401', async () => {
      const wrong = expectProblem(
        await login(app.url, email, 'not-the-password-1'),
        401,
        'identity.invalid_credentials',
      );
      const unknown = expectProblem(
        await login(app.url, uniqueEmail('nobody')),
        401,
        'identity.invalid_credentials',
      );
      expect(unknown.detail).toBe(wrong.detail);
      expect(unknown.title).toBe(wrong.title);
    });
  });

  describe('GET /api/v1/me', () => {
    let email: string;
    let account: Account;
    let tokens: TokenPair;

    beforeAll(async () => {
      email = uniqueEmail('me');
      account = (await register(app.url, email)).body;
      tokens = (await login(app.url, email)).body;
    });

    it('returns the caller’s own account', async () => {
      const res = await api<Account>(app.url, '/api/v1/me', { token: tokens.accessToken });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: account.id, email, role: 'customer' });
      expect(JSON.stringify(res.body)).not.toMatch(/password/i);
    });

    it('is 401 without a token, with garbage, or with a token signed by another secret', async () => {
      expectProblem(await api(app.url, '/api/v1/me'), 401, 'auth.unauthenticated');
      expectProblem(
        await api(app.url, '/api/v1/me', { token: 'not.a.jwt' }),
        401,
        'auth.unauthenticated',
      );
      expectProblem(
        await api(app.url, '/api/v1/me', { headers: { authorization: 'Basic Zm9vOmJhcg==' } }),
        401,
        'auth.unauthenticated',
      );

      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: account.id, role: 'customer', typ: 'access', iat: now, exp: now + 600 };
      // Control: the same hand-made token with the server's secret is accepted...
      const genuine = signHs256(claims, app.env.JWT_ACCESS_SECRET);
      expect((await api(app.url, '/api/v1/me', { token: genuine })).status).toBe(200);
      // ...so a 401 for the other secret is about the signature, not the token's shape.
      const forged = signHs256(claims, 'some-other-secret-0123456789abcdefghij');
      expectProblem(
        await api(app.url, '/api/v1/me', { token: forged }),
        401,
        'auth.unauthenticated',
      );
      // Nor may a token signed with the refresh secret pass for an access token.
      const refreshSigned = signHs256(claims, app.env.JWT_REFRESH_SECRET);
      expectProblem(
        await api(app.url, '/api/v1/me', { token: refreshSigned }),
        401,
        'auth.unauthenticated',
      );
    });
  });

  describe('refresh tokens', () => {
    it('rotates, and reuse of an old token revokes the whole family', async () => {
      const email = uniqueEmail('rotate');
      await register(app.url, email);
      const first = (await login(app.url, email)).body;

      const second = await refresh(app.url, first.refreshToken);
      expect(second.status).toBe(200);
      expect(second.body.tokenType).toBe('Bearer');
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      expect(second.body.accessToken).toEqual(expect.any(String));
      const me = await api<Account>(app.url, '/api/v1/me', { token: second.body.accessToken });
      expect(me.body.email).toBe(email);

      // The old token again: refused, and treated as theft.
      expectProblem(
        await refresh(app.url, first.refreshToken),
        401,
        'identity.invalid_refresh_token',
      );
      // The new token of the same family was revoked by that reuse.
      expectProblem(
        await refresh(app.url, second.body.refreshToken),
        401,
        'identity.invalid_refresh_token',
      );

      // Another login starts a new family, unaffected.
      const other = (await login(app.url, email)).body;
      expect((await refresh(app.url, other.refreshToken)).status).toBe(200);
    });

    it('logout revokes the refresh token', async () => {
      const email = uniqueEmail('logout');
      await register(app.url, email);
      const tokens = (await login(app.url, email)).body;

      const out = await api(app.url, '/api/v1/auth/logout', {
        method: 'POST',
        body: { refreshToken: tokens.refreshToken },
      });
      expect(out.status).toBe(204);
      expectProblem(
        await refresh(app.url, tokens.refreshToken),
        401,
        'identity.invalid_refresh_token',
      );
    });

    it('refuses an unknown refresh token', async () => {
      expectProblem(await refresh(app.url, 'x'.repeat(43)), 401, 'identity.invalid_refresh_token');
    });
  });

  describe('roles', () => {
    const product = () => ({
      name: `Role test ${Math.random().toString(36).slice(2, 8)}`,
      priceMinor: 1234,
      currency: 'EUR',
    });

    it('lets only an admin create products', async () => {
      const email = uniqueEmail('role');
      await register(app.url, email);
      const customer = (await login(app.url, email)).body.accessToken;

      expectProblem(
        await api(app.url, '/api/v1/admin/products', {
          method: 'POST',
          token: customer,
          body: product(),
        }),
        403,
        'auth.forbidden',
      );
      expectProblem(
        await api(app.url, '/api/v1/admin/products', { method: 'POST', body: product() }),
        401,
        'auth.unauthenticated',
      );

      const admin = await adminToken(app.url);
      const created = await api<{ id: string }>(app.url, '/api/v1/admin/products', {
        method: 'POST',
        token: admin,
        body: product(),
      });
      expect(created.status).toBe(201);
      expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('bootstraps the admin from ADMIN_EMAIL/ADMIN_PASSWORD with the admin role', async () => {
      const token = await adminToken(app.url);
      const me = await api<Account>(app.url, '/api/v1/me', { token });
      expect(me.body).toMatchObject({ email: ADMIN.email, role: 'admin' });
      const { rows } = await db.query<{ role: string }>(
        'SELECT role FROM identity.accounts WHERE email = $1',
        [ADMIN.email],
      );
      expect(rows).toEqual([{ role: 'admin' }]);
    });
  });

  describe('GraphQL', () => {
    it('logs in with a mutation and answers `me` only with a bearer token', async () => {
      const email = uniqueEmail('gql');
      await register(app.url, email);

      const loginRes = await graphql<{ login: { accessToken: string } }>(
        app.url,
        `mutation { login(input: { email: "${email}", password: "${PASSWORD}" }) { accessToken } }`,
      );
      expect(loginRes.body.errors).toBeUndefined();
      const token = loginRes.body.data?.login.accessToken;
      expect(token).toEqual(expect.any(String));

      const me = await graphql<{ me: { email: string; role: string } }>(
        app.url,
        'query { me { email role } }',
        token,
      );
      expect(me.body.errors).toBeUndefined();
      expect(me.body.data?.me).toEqual({ email, role: 'customer' });

      const anonymous = await graphql<{ me: unknown }>(app.url, 'query { me { email role } }');
      expect(anonymous.body.data?.me ?? null).toBeNull();
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('auth.unauthenticated');
    });

    it('refuses a wrong password over GraphQL with the domain error code', async () => {
      const res = await graphql<{ login: unknown }>(
        app.url,
        `mutation { login(input: { email: "${uniqueEmail('gqlbad')}", password: "wrong-password-1" }) { accessToken } }`,
      );
      expect(res.body.errors?.[0]?.extensions?.code).toBe('identity.invalid_credentials');
    });
  });
});

describe('auth rate limits (AUTH_RATE_LIMIT=3, counted in Redis)', () => {
  const limit = 3;
  let single: AppProcess;
  let pairA: AppProcess;
  let pairB: AppProcess;
  const victim = uniqueEmail('victim');
  const bystander = uniqueEmail('bystander');

  beforeAll(async () => {
    const stamp = `${Date.now()}${Math.floor(Math.random() * 1e4)}`;
    const base = { ROLE: 'api', AUTH_RATE_LIMIT: String(limit) };
    // Fresh prefixes, so counters from earlier runs cannot leak in. The pair shares one.
    [single, pairA, pairB] = await startAll([
      { ...base, QUEUE_PREFIX: `rl${stamp}s` },
      { ...base, QUEUE_PREFIX: `rl${stamp}p` },
      { ...base, QUEUE_PREFIX: `rl${stamp}p` },
    ]);
    // Registration is limited separately (per route), so it does not use up login attempts.
    expect((await register(single.url, victim)).status).toBe(201);
    expect((await register(single.url, bystander)).status).toBe(201);
  });

  afterAll(async () => {
    await Promise.all([single, pairA, pairB].map((p) => p?.stop()));
  });

  it('blocks an account after the limit, even with the right password; others still log in', async () => {
    // Address counter of the login route: 1..3, then 4 (blocked), then 5.
    for (let i = 0; i < limit; i++) {
      // Varying case: the account counter keys on the normalized email.
      const email = i % 2 ? victim.toUpperCase() : victim;
      expectProblem(
        await login(single.url, email, 'wrong-password-123'),
        401,
        'identity.invalid_credentials',
      );
    }
    const blocked = expectProblem(await login(single.url, victim), 429, 'request.rate_limited');
    expect(blocked.instance).toBe('/api/v1/auth/login');

    // Same address, another account: not blocked yet (the address limit is limit * 3).
    const other = await login(single.url, bystander);
    expect(other.status).toBe(200);
    expect(other.body.accessToken).toEqual(expect.any(String));
  });

  it('blocks the address after limit * 3 attempts, each for a different account', async () => {
    // The previous test used 5 attempts of this address; 4 more reach the limit of 9.
    const addressLimit = limit * 3;
    const used = limit + 2;
    for (let i = used; i < addressLimit; i++) {
      expect((await login(single.url, uniqueEmail(`spray${i}`))).status).toBe(401);
    }
    // A fresh account, but the address is spent.
    expectProblem(await login(single.url, uniqueEmail('fresh')), 429, 'request.rate_limited');
  });

  it('shares the counters between instances through Redis', async () => {
    const email = uniqueEmail('shared');
    for (const instance of [pairA, pairA, pairB]) {
      expectProblem(
        await login(instance.url, email, 'wrong-password-123'),
        401,
        'identity.invalid_credentials',
      );
    }
    // Instance B has seen only one attempt, but the account has had four.
    expectProblem(await login(pairB.url, email, 'wrong-password-123'), 429, 'request.rate_limited');
    expectProblem(await login(pairA.url, email, 'wrong-password-123'), 429, 'request.rate_limited');
  });
});
