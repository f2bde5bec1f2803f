import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Admin, Public } from '../../../platform/auth/access.decorator.js';
import { ProductAdminService } from '../application/product-admin.service.js';
import { ShopQueryService } from '../application/shop-query.service.js';
import { CreateProductDto, ProductDto, ProductPageDto, UpdateProductDto } from './product.dto.js';

/** Shop and admin product operations over GraphQL, on the same services as REST. */
@Resolver(() => ProductDto)
export class CatalogResolver {
  constructor(
    private readonly shop: ShopQueryService,
    private readonly admin: ProductAdminService,
  ) {}

  @Query(() => ProductPageDto)
  @Public()
  products(
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<ProductPageDto> {
    return this.shop.list({ limit: first, cursor: after });
  }

  @Query(() => ProductDto)
  @Public()
  product(
    @Args('id', { type: () => ID }, new ParseUUIDPipe({ version: '4' })) id: string,
  ): Promise<ProductDto> {
    return this.shop.byId(id);
  }

  @Query(() => ProductDto)
  @Public()
  productBySlug(@Args('slug') slug: string): Promise<ProductDto> {
    return this.shop.bySlug(slug.slice(0, 200));
  }

  @Mutation(() => ProductDto)
  @Admin()
  createProduct(@Args('input') input: CreateProductDto): Promise<ProductDto> {
    return this.admin.create(input);
  }

  @Mutation(() => ProductDto)
  @Admin()
  updateProduct(
    @Args('id', { type: () => ID }, new ParseUUIDPipe({ version: '4' })) id: string,
    @Args('input') input: UpdateProductDto,
  ): Promise<ProductDto> {
    return this.admin.update(id, input);
  }
}
