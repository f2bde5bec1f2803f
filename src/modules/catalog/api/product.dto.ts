import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { GraphQLJSON } from 'graphql-type-json';
import type { ProductStatus } from '../catalog.contract.js';
import { SLUG_PATTERN } from '../domain/slug.js';

const STATUSES: ProductStatus[] = ['draft', 'active', 'archived'];
const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_PRICE = 1_000_000_000;

@InputType('VariantInput')
export class VariantInputDto {
  @ApiPropertyOptional({
    pattern: SKU_PATTERN.source,
    description: 'Generated from the slug when absent',
  })
  @Field({ nullable: true })
  @IsOptional()
  @Matches(SKU_PATTERN)
  sku?: string;

  @ApiPropertyOptional({ example: { size: 'M', colour: 'blue' } })
  @Field(() => GraphQLJSON, { nullable: true })
  @IsOptional()
  @IsObject()
  options?: Record<string, string>;

  @ApiProperty({ description: 'Price in minor units (cents)', minimum: 0 })
  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  priceMinor: number;
}

@InputType('UpdateVariantInput')
export class UpdateVariantDto {
  @ApiPropertyOptional({ pattern: SKU_PATTERN.source })
  @Field({ nullable: true })
  @IsOptional()
  @Matches(SKU_PATTERN)
  sku?: string;

  @ApiPropertyOptional()
  @Field(() => GraphQLJSON, { nullable: true })
  @IsOptional()
  @IsObject()
  options?: Record<string, string>;

  @ApiPropertyOptional({ minimum: 0 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  priceMinor?: number;
}

/** Fields shared by create and update, all optional here. */
@InputType('UpdateProductInput')
export class UpdateProductDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ pattern: SLUG_PATTERN.source, maxLength: 100 })
  @Field({ nullable: true })
  @IsOptional()
  @Matches(SLUG_PATTERN)
  @MaxLength(100)
  slug?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ pattern: '^[A-Z]{3}$' })
  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @Field({ nullable: true })
  @IsOptional()
  @IsIn(STATUSES)
  status?: ProductStatus;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUUID('4')
  categoryId?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { each: true })
  images?: string[];

  @ApiPropertyOptional({ description: 'Only for a product with a single variant', minimum: 0 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  priceMinor?: number;
}

@InputType('CreateProductInput')
export class CreateProductDto extends UpdateProductDto {
  @ApiProperty({ maxLength: 200 })
  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  declare name: string;

  @ApiProperty({ example: 'EUR', pattern: '^[A-Z]{3}$' })
  @Field()
  @Matches(/^[A-Z]{3}$/)
  declare currency: string;

  @ApiPropertyOptional({
    pattern: SKU_PATTERN.source,
    description: 'SKU of the single default variant',
  })
  @Field({ nullable: true })
  @IsOptional()
  @Matches(SKU_PATTERN)
  sku?: string;

  @ApiPropertyOptional({
    type: [VariantInputDto],
    description: 'Or priceMinor (+ sku) for one variant',
  })
  @Field(() => [VariantInputDto], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => VariantInputDto)
  variants?: VariantInputDto[];
}

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListProductsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;

  @ApiPropertyOptional({ enum: ['newest', 'price_asc', 'price_desc'], default: 'newest' })
  @IsOptional()
  @IsIn(['newest', 'price_asc', 'price_desc'])
  sort?: 'newest' | 'price_asc' | 'price_desc';

  @ApiPropertyOptional({ description: 'Category slug; includes its sub-categories' })
  @IsOptional()
  @Matches(SLUG_PATTERN)
  @MaxLength(100)
  category?: string;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  priceMin?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE)
  priceMax?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  inStock?: boolean;
}

@ObjectType('Variant')
export class VariantDto {
  @ApiProperty({ format: 'uuid' }) @Field() id: string;
  @ApiProperty() @Field() sku: string;
  @ApiProperty() @Field(() => GraphQLJSON) options: Record<string, string>;
  @ApiProperty() @Field(() => Int) priceMinor: number;
}

@ObjectType('CategoryCrumb')
export class CategoryCrumbDto {
  @ApiProperty({ format: 'uuid' }) @Field() id: string;
  @ApiProperty() @Field() slug: string;
  @ApiProperty() @Field() name: string;
}

export class ProductCategoryDto extends CategoryCrumbDto {
  @ApiProperty({ type: [CategoryCrumbDto], description: 'Root first' }) path: CategoryCrumbDto[];
}

@ObjectType('Product')
export class ProductDto {
  @ApiProperty({ format: 'uuid' }) @Field() id: string;
  @ApiProperty() @Field() slug: string;
  @ApiProperty() @Field() name: string;
  @ApiProperty() @Field() description: string;
  @ApiProperty({ enum: STATUSES }) @Field() status: string;
  @ApiProperty() @Field() currency: string;
  @ApiProperty({ description: 'Lowest variant price' }) @Field(() => Int) priceMinor: number;
  @ApiProperty() @Field(() => Int) maxPriceMinor: number;
  @ApiProperty({ type: [String] }) @Field(() => [String]) images: string[];
  @ApiProperty() @Field() inStock: boolean;
  @ApiProperty({ type: ProductCategoryDto, nullable: true }) category: ProductCategoryDto | null;
  @ApiProperty({ type: [VariantDto] }) variants: VariantDto[];
  @ApiProperty() @Field(() => Int) version: number;
  @ApiProperty({ format: 'date-time' }) @Field() createdAt: string;
  @ApiProperty({ format: 'date-time' }) @Field() updatedAt: string;
}

@ObjectType('ProductPage')
export class ProductPageDto {
  @ApiProperty({ type: [ProductDto] }) @Field(() => [ProductDto]) items: ProductDto[];
  @ApiProperty({ nullable: true, type: String })
  @Field(() => String, { nullable: true })
  nextCursor: string | null;
}
