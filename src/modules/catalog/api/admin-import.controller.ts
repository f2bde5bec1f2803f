import { Readable } from 'node:stream';
import {
  Controller,
  HttpCode,
  PayloadTooLargeException,
  Post,
  Req,
  Res,
  UnsupportedMediaTypeException,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiBearerAuth, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Admin } from '../../../platform/auth/access.decorator.js';
import { ProductImportService, type ImportFormat } from '../application/product-import.service.js';
import { checkImportRow, ImportReportDto } from './import.dto.js';

const IMPORT_ROUTE = '/api/v1/admin/products/import';
const FORMATS = new Map<string, ImportFormat>([
  ['application/x-ndjson', 'ndjson'],
  ['text/csv', 'csv'],
]);
/** Far above the JSON body limit: an import is read as it arrives, never held whole. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** Bulk import of products from NDJSON or CSV, streamed; the answer lists rejected rows. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/products')
export class AdminImportController implements OnModuleInit {
  constructor(
    private readonly imports: ProductImportService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Lets these media types reach the handler as the raw request stream. Nest calls this after
   * it has registered the routes, but before listen; routes look parsers up in the instance's
   * shared table at request time, so the import route gets this one. Other routes still refuse
   * these types with 415, as before.
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addContentTypeParser([...FORMATS.keys()], (request, payload, done) => {
      if (request.routeOptions.url === IMPORT_ROUTE || request.is404) done(null, payload);
      else done(new UnsupportedMediaTypeException(), undefined);
    });
  }

  /**
   * Rows are imported one transaction each. A body over 20 MiB is refused with 413: before
   * anything is read when its length is declared, else when the limit is reached, in which case
   * rows read before it may already be imported (each whole).
   */
  @Post('import')
  @Admin()
  @HttpCode(200)
  @ApiConsumes(...FORMATS.keys())
  @ApiOkResponse({ type: ImportReportDto })
  async import(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportReportDto> {
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const format = FORMATS.get(mediaType);
    if (!format) {
      throw new UnsupportedMediaTypeException('Send application/x-ndjson or text/csv');
    }
    if (Number(request.headers['content-length']) > MAX_IMPORT_BYTES) {
      reply.header('connection', 'close');
      throw tooLarge();
    }
    const body = request.body instanceof Readable ? request.body : undefined;
    try {
      return await this.imports.importFrom(format, capped(body), checkImportRow);
    } finally {
      // Unread body bytes (a limit was hit) must not be taken for the next request.
      if (!request.raw.complete) reply.header('connection', 'close');
    }
  }
}

function tooLarge(): PayloadTooLargeException {
  return new PayloadTooLargeException(`An import body may hold at most ${MAX_IMPORT_BYTES} bytes`);
}

/** The body's chunks, failing once more than the limit has arrived (chunked bodies declare none). */
async function* capped(body: Readable | undefined): AsyncGenerator<Buffer> {
  if (!body) return;
  let seen = 0;
  // Stopping early must leave the request alone: destroying it resets the socket before the
  // answer is sent.
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > MAX_IMPORT_BYTES) throw tooLarge();
    yield chunk;
  }
}
