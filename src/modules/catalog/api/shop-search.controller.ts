import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../platform/auth/access.decorator.js';
import { CachedResponse } from '../../../platform/cache/cache-tags.decorator.js';
import { ResponseCacheInterceptor } from '../../../platform/cache/response-cache.interceptor.js';
import { PRODUCT_LIST_TAG } from '../application/product-cache-tags.js';
import { ProductSearchService } from '../application/product-search.service.js';
import { SearchPageDto, SearchQueryDto } from './search.dto.js';

/** Public product search, cached like the list (any product change invalidates it). */
@ApiTags('shop')
@Controller('api/v1')
@UseInterceptors(ResponseCacheInterceptor)
export class ShopSearchController {
  constructor(private readonly products: ProductSearchService) {}

  @Get('search')
  @Public()
  @CachedResponse(() => [PRODUCT_LIST_TAG])
  @ApiOkResponse({ type: SearchPageDto })
  search(@Query() query: SearchQueryDto): Promise<SearchPageDto> {
    return this.products.search(query);
  }
}
