import type { FastifyInstance } from 'fastify';

/**
 * Answers 304 Not Modified when a GET's ETag matches the request's If-None-Match. Done in onSend
 * because Nest sets the route's own status after interceptors run.
 */
export function registerConditionalGet(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200)
      return payload;
    const etag = reply.getHeader('etag');
    const ifNoneMatch = request.headers['if-none-match'];
    if (typeof etag !== 'string' || !ifNoneMatch) return payload;
    const candidates = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
    if (!candidates.includes('*') && !candidates.includes(etag.replace(/^W\//, ''))) return payload;
    reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return null;
  });
}
