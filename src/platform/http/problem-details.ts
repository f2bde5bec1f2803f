import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, STATUS_BY_KIND } from '../errors/domain-error.js';

/** An RFC 9457 problem document, as every REST error is sent. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: unknown[];
  [extension: string]: unknown;
}

interface ErrorWithStatus {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
}

function titleFor(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (!name) return status >= 500 ? 'Internal Server Error' : 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'request.invalid',
  401: 'auth.unauthenticated',
  403: 'auth.forbidden',
  404: 'request.not_found',
  405: 'request.method_not_allowed',
  409: 'request.conflict',
  413: 'request.body_too_large',
  415: 'request.unsupported_media_type',
  422: 'request.unprocessable',
  429: 'request.rate_limited',
  503: 'service.unavailable',
};

/**
 * Turns anything thrown into a problem document that is safe to send: known errors keep their
 * message, anything else becomes a bare 500 (its stack goes to the log, never to the client).
 */
export function toProblem(error: unknown): { problem: ProblemDocument; unexpected: boolean } {
  if (error instanceof DomainError) {
    const status = STATUS_BY_KIND[error.kind];
    return {
      unexpected: false,
      problem: {
        type: `urn:scaleshop:problem:${error.code}`,
        title: titleFor(status),
        status,
        detail: error.message,
        code: error.code,
        ...(error.details ?? {}),
      },
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    let detail = error.message;
    let errors: unknown[] | undefined;
    if (typeof body === 'object' && body !== null) {
      const message = (body as { message?: unknown }).message;
      if (Array.isArray(message)) {
        errors = message;
        detail = 'The request is invalid; see errors.';
      } else if (typeof message === 'string') {
        detail = message;
      }
    }
    return {
      // 503 is said on purpose (draining, a dependency down): not a bug to log with a stack.
      unexpected: status >= 500 && status !== 503,
      problem: {
        type: 'about:blank',
        title: titleFor(status),
        status,
        detail: status >= 500 ? undefined : detail,
        code: CODE_BY_STATUS[status] ?? `http.${status}`,
        ...(errors ? { errors } : {}),
      },
    };
  }
  // Fastify's own errors (body too large, bad JSON, wrong content type) carry a 4xx statusCode.
  const candidate = error as ErrorWithStatus | null;
  if (
    candidate &&
    typeof candidate.statusCode === 'number' &&
    candidate.statusCode >= 400 &&
    candidate.statusCode < 500
  ) {
    const status = candidate.statusCode;
    return {
      unexpected: false,
      problem: {
        type: 'about:blank',
        title: titleFor(status),
        status,
        detail: typeof candidate.message === 'string' ? candidate.message : undefined,
        code: CODE_BY_STATUS[status] ?? `http.${status}`,
      },
    };
  }
  return {
    unexpected: true,
    problem: {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the request id when reporting it.',
      code: 'internal',
    },
  };
}
