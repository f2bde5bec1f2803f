import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { RawJson } from './raw-json.js';

/** Sends RawJson bodies as their text with a JSON content type. */
@Injectable()
export class RawJsonInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        if (!(body instanceof RawJson)) return body;
        context.switchToHttp().getResponse<FastifyReply>().type('application/json; charset=utf-8');
        return body.text;
      }),
    );
  }
}
