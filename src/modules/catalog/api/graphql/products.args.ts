import { ArgsType, Field, Int, registerEnumType } from '@nestjs/graphql';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type ShopSort,
} from '../../application/shop-query.service.js';
import { SLUG_PATTERN } from '../../domain/slug.js';

/** Orders of the shop list, by GraphQL name. */
export const ProductSort = {
  NEWEST: 'newest',
  PRICE_ASC: 'price_asc',
  PRICE_DESC: 'price_desc',
} as const satisfies Record<string, ShopSort>;

registerEnumType(ProductSort, { name: 'ProductSort' });

const MAX_PRICE = 1_000_000_000;

/** Arguments of Query.products: the REST list's query string, with `first`/`after` naming. */
@ArgsType()
export class ProductsArgs {
  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `Page size, 1 to ${MAX_PAGE_SIZE}; the query's cost is counted per item`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field({ nullable: true, description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  after?: string;

  @Field({ nullable: true, description: 'Category slug; includes its sub-categories' })
  @IsOptional()
  @Matches(SLUG_PATTERN)
  @MaxLength(100)
  category?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  priceMin?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  priceMax?: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  inStock?: boolean;

  @Field(() => ProductSort, { nullable: true, defaultValue: ProductSort.NEWEST })
  @IsOptional()
  @IsIn(Object.values(ProductSort))
  sort?: ShopSort;
}
