import { Controller, Get, Param, ParseUUIDPipe, Query, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../platform/auth/access.decorator.js';
import { CachedResponse } from '../../../platform/cache/cache-tags.decorator.js';
import { ResponseCacheInterceptor } from '../../../platform/cache/response-cache.interceptor.js';
import type { RawJson } from '../../../platform/http/raw-json.js';
import { RawJsonInterceptor } from '../../../platform/http/raw-json.interceptor.js';
import {
  CATEGORY_TREE_TAG,
  PRODUCT_LIST_TAG,
  productTag,
} from '../application/product-cache-tags.js';
import { ShopQueryService } from '../application/shop-query.service.js';
import { CategoryNodeDto } from './category.dto.js';
import { ListProductsQuery, ProductDto, ProductPageDto } from './product.dto.js';

/** Public shop reads: product documents on a replica, behind the Redis response cache. */
@ApiTags('shop')
@Controller('api/v1')
@UseInterceptors(RawJsonInterceptor, ResponseCacheInterceptor)
export class ShopProductsController {
  constructor(private readonly shop: ShopQueryService) {}

  @Get('products')
  @Public()
  @ApiOkResponse({ type: ProductPageDto })
  @CachedResponse(() => [PRODUCT_LIST_TAG])
  list(@Query() query: ListProductsQuery): Promise<RawJson> {
    return this.shop.listJson(query);
  }

  @Get('products/by-slug/:slug')
  @Public()
  @CachedResponse((_req, body) => [productTag((body as ProductDto).id)])
  bySlug(@Param('slug') slug: string): Promise<ProductDto> {
    return this.shop.bySlug(slug.slice(0, 200));
  }

  @Get('products/:id')
  @Public()
  @CachedResponse((_req, body) => [productTag((body as ProductDto).id)])
  byId(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string): Promise<ProductDto> {
    return this.shop.byId(id);
  }

  @Get('categories')
  @Public()
  @CachedResponse(() => [CATEGORY_TREE_TAG])
  categories(): Promise<CategoryNodeDto[]> {
    return this.shop.categoryTree();
  }
}
