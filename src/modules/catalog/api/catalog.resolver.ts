import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Admin, Public } from '../../../platform/auth/access.decorator.js';
import { ProductAdminService } from '../application/product-admin.service.js';
import type { ProductPage, ProductView } from '../application/product-views.js';
import { ShopQueryService } from '../application/shop-query.service.js';
import { ProductsArgs } from './graphql/products.args.js';
import { CatalogRequestLoaders } from './graphql/request-loaders.js';
import {
  CreateProductDto,
  ProductDto,
  ProductPageDto,
  UpdateProductDto,
  UpdateVariantDto,
  VariantInputDto,
} from './product.dto.js';

const uuid = () => new ParseUUIDPipe({ version: '4' });

/**
 * Shop and admin product operations over GraphQL, on the same services as REST. A page is one
 * statement over the product documents; its nested fields come from the request's loaders (see
 * ProductFieldsResolver), which a write makes the request forget.
 */
@Resolver(() => ProductDto)
export class CatalogResolver {
  constructor(
    private readonly shop: ShopQueryService,
    private readonly admin: ProductAdminService,
    private readonly loaders: CatalogRequestLoaders,
  ) {}

  @Query(() => ProductPageDto)
  @Public()
  products(@Args() args: ProductsArgs): Promise<ProductPage> {
    // GraphQL passes an explicit null for an argument given as null: it means "not given".
    return this.shop.list({
      limit: args.first ?? undefined,
      cursor: args.after ?? undefined,
      category: args.category ?? undefined,
      priceMin: args.priceMin ?? undefined,
      priceMax: args.priceMax ?? undefined,
      inStock: args.inStock ?? undefined,
      sort: args.sort ?? undefined,
    });
  }

  @Query(() => ProductDto)
  @Public()
  product(@Args('id', { type: () => ID }, uuid()) id: string): Promise<ProductView> {
    return this.shop.byId(id);
  }

  @Query(() => ProductDto)
  @Public()
  productBySlug(@Args('slug') slug: string): Promise<ProductView> {
    return this.shop.bySlug(slug.slice(0, 200));
  }

  @Mutation(() => ProductDto)
  @Admin()
  createProduct(
    @Args('input') input: CreateProductDto,
    @Context('req') request: object,
  ): Promise<ProductView> {
    return this.written(request, this.admin.create(input));
  }

  @Mutation(() => ProductDto)
  @Admin()
  updateProduct(
    @Args('id', { type: () => ID }, uuid()) id: string,
    @Args('input') input: UpdateProductDto,
    @Context('req') request: object,
  ): Promise<ProductView> {
    return this.written(request, this.admin.update(id, input));
  }

  @Mutation(() => ProductDto, {
    description: 'Archives (soft-deletes): gone from the shop, kept for orders',
  })
  @Admin()
  archiveProduct(
    @Args('id', { type: () => ID }, uuid()) id: string,
    @Context('req') request: object,
  ): Promise<ProductView> {
    return this.written(request, this.admin.archive(id));
  }

  @Mutation(() => ProductDto)
  @Admin()
  addVariant(
    @Args('productId', { type: () => ID }, uuid()) productId: string,
    @Args('input') input: VariantInputDto,
    @Context('req') request: object,
  ): Promise<ProductView> {
    return this.written(request, this.admin.addVariant(productId, input));
  }

  @Mutation(() => ProductDto)
  @Admin()
  updateVariant(
    @Args('productId', { type: () => ID }, uuid()) productId: string,
    @Args('variantId', { type: () => ID }, uuid()) variantId: string,
    @Args('input') input: UpdateVariantDto,
    @Context('req') request: object,
  ): Promise<ProductView> {
    return this.written(request, this.admin.updateVariant(productId, variantId, input));
  }

  @Mutation(() => ProductDto, { description: 'A product keeps at least one variant' })
  @Admin()
  removeVariant(
    @Args('productId', { type: () => ID }, uuid()) productId: string,
    @Args('variantId', { type: () => ID }, uuid()) variantId: string,
    @Context('req') request: object,
  ): Promise<ProductView> {
    return this.written(request, this.admin.removeVariant(productId, variantId));
  }

  /** Loads made before this write (an earlier mutation of the request) are stale now. */
  private async written(request: object, write: Promise<ProductView>): Promise<ProductView> {
    const product = await write;
    this.loaders.forget(request);
    return product;
  }
}
