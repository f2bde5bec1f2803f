import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

/**
 * Baseline for cached reads: a bare Fastify server answering each path with bytes it holds in
 * memory (the exact body and ETag the API sent for it), with the API's cache headers. This is
 * the ceiling a response cache can approach on this machine.
 *
 * Env: PORT, BYTES_FILE (JSON: { "<path>": { "body": "...", "etag": "..." } }).
 */
const entries = new Map(
  Object.entries(
    JSON.parse(readFileSync(process.env.BYTES_FILE ?? '', 'utf8')) as Record<
      string,
      { body: string; etag: string }
    >,
  ),
);

const app = Fastify({ logger: false });
app.get('/*', (request, reply) => {
  const entry = entries.get(request.url);
  if (!entry) return reply.code(404).send();
  return reply
    .header('content-type', 'application/json; charset=utf-8')
    .header('etag', entry.etag)
    .header('cache-control', 'public, max-age=0, must-revalidate')
    .header('x-cache', 'HIT')
    .send(entry.body);
});
app.get('/health', () => 'ok');

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
