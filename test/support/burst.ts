import { Agent, request } from 'node:http';

/** A response reduced to what burst tests count. */
export interface BurstResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Fires many requests at once over at most `sockets` keep-alive connections (the rest queue in
 * the agent, as they would in a client-side pool). Node's fetch would open one socket per request.
 */
export class Burst {
  private readonly agent: Agent;

  constructor(
    private readonly base: string,
    sockets = 200,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  post<T = Record<string, unknown>>(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<BurstResponse<T>> {
    const payload = JSON.stringify(body);
    const url = new URL(path, this.base);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          timeout: 60_000,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: kept as text for the assertion message
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T, headers: res.headers });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout: POST ${path}`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
