import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import type { ProductStatus } from '../catalog.contract.js';
import { SLUG_PATTERN } from '../domain/slug.js';

const STATUSES: ProductStatus[] = ['draft', 'active', 'archived'];

@InputType('CreateProductInput')
export class CreateProductDto {
  @ApiProperty({ maxLength: 200 })
  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

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

  @ApiProperty({ description: 'Price in minor units (cents)', minimum: 0 })
  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  priceMinor: number;

  @ApiProperty({ example: 'EUR', pattern: '^[A-Z]{3}$' })
  @Field()
  @Matches(/^[A-Z]{3}$/)
  currency: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @Field({ nullable: true })
  @IsOptional()
  @IsIn(STATUSES)
  status?: ProductStatus;
}

/** Every field optional; written out because Swagger's and GraphQL's PartialType each drop the other's metadata. */
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

  @ApiPropertyOptional({ minimum: 0 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  priceMinor?: number;

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
}

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
  @MaxLength(200)
  cursor?: string;
}

@ObjectType('Product')
export class ProductDto {
  @ApiProperty({ format: 'uuid' }) @Field() id: string;
  @ApiProperty() @Field() slug: string;
  @ApiProperty() @Field() name: string;
  @ApiProperty() @Field() description: string;
  @ApiProperty() @Field(() => Int) priceMinor: number;
  @ApiProperty() @Field() currency: string;
  @ApiProperty({ enum: STATUSES }) @Field() status: string;
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
