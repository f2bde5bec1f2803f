import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { currentContext } from '../context/request-context.js';
import { toProblem } from './problem-details.js';

/**
 * The one place where thrown errors become responses: problem+json over REST, a GraphQL error
 * with a stable `extensions.code` over GraphQL.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetailsFilter');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    const { problem, unexpected } = toProblem(exception);
    const requestId = currentContext()?.requestId;
    if (unexpected) {
      this.logger.error(exception instanceof Error ? exception : String(exception));
    }
    if (host.getType<string>() === 'graphql') {
      return new GraphQLError(problem.detail ?? problem.title, {
        extensions: {
          code: problem.code,
          status: problem.status,
          requestId,
          errors: problem.errors,
        },
      });
    }
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    return sendProblem(reply, { ...problem, instance: request.url, requestId });
  }
}

export function sendProblem(reply: FastifyReply, problem: ReturnType<typeof toProblem>['problem']) {
  if (reply.sent) return reply;
  return reply.status(problem.status).type('application/problem+json').send(problem);
}
