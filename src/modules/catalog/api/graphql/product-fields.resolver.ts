import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Public } from '../../../../platform/auth/access.decorator.js';
import type { ProductVariant } from '../../application/catalog-loaders.js';
import type { CategoryView } from '../../application/category-admin.service.js';
import type { ProductView } from '../../application/product-views.js';
import { ProductDto, VariantDto } from '../product.dto.js';
import { CategoryType } from './category.type.js';
import { CatalogRequestLoaders } from './request-loaders.js';

/**
 * Product.variants and Product.category, read from the normalised tables through the request's
 * loaders (not from the copy in the product document), batched over the whole page.
 *
 * Variant has no `product` field on purpose: product → variants → product → variants … would
 * multiply the answer by the number of variants at every turn, while the cost estimator prices
 * an unpaged list as one item. A variant is only ever reached through its product anyway.
 */
@Resolver(() => ProductDto)
export class ProductFieldsResolver {
  constructor(private readonly loaders: CatalogRequestLoaders) {}

  @ResolveField('variants', () => [VariantDto])
  @Public()
  variants(
    @Parent() product: ProductView,
    @Context('req') request: object,
  ): Promise<ProductVariant[]> {
    return this.loaders.of(request).variantsByProductId.load(product.id);
  }

  @ResolveField('category', () => CategoryType, { nullable: true })
  @Public()
  async category(
    @Parent() product: ProductView,
    @Context('req') request: object,
  ): Promise<CategoryView | null> {
    if (!product.category) return null;
    return this.loaders.of(request).categoryById.load(product.category.id);
  }
}
