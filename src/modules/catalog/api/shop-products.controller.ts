import { Controller, Get, Param, ParseUUIDPipe, Query, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../../../platform/auth/access.decorator.js';
import { CachedResponse } from '../../../platform/cache/cache-tags.decorator.js';
import { ResponseCacheInterceptor } from '../../../platform/cache/response-cache.interceptor.js';
import { PRODUCT_LIST_TAG, productTag } from '../application/product-cache-tags.js';
import { ProductQueryService } from '../application/product-query.service.js';
import { ListProductsQuery, ProductDto, ProductPageDto } from './product.dto.js';

/** Public shop reads, cached in Redis and served from replicas on a miss. */
@ApiTags('shop')
@Controller('api/v1/products')
@UseInterceptors(ResponseCacheInterceptor)
export class ShopProductsController {
  constructor(private readonly products: ProductQueryService) {}

  @Get()
  @Public()
  @CachedResponse(() => [PRODUCT_LIST_TAG])
  list(@Query() query: ListProductsQuery): Promise<ProductPageDto> {
    return this.products.list(query);
  }

  @Get('by-slug/:slug')
  @Public()
  @CachedResponse((_req, body) => [productTag((body as ProductDto).id)])
  bySlug(@Param('slug') slug: string): Promise<ProductDto> {
    return this.products.bySlug(slug.slice(0, 200));
  }

  @Get(':id')
  @Public()
  @CachedResponse((_req, body) => [productTag((body as ProductDto).id)])
  byId(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string): Promise<ProductDto> {
    return this.products.byId(id);
  }
}
