import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { SKU_PATTERN } from './cart.dto.js';

export class CheckoutItemDto {
  @ApiProperty({ pattern: SKU_PATTERN.source })
  @Matches(SKU_PATTERN)
  sku: string;

  @ApiProperty({ minimum: 1, maximum: 99 })
  @IsInt()
  @Min(1)
  @Max(99)
  quantity: number;
}

export class CheckoutDto {
  @ApiProperty({ example: 'pm_card_visa', description: 'Handed to the payment provider as is' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  paymentMethod: string;

  @ApiPropertyOptional({
    type: [CheckoutItemDto],
    description: '"Buy now" lines; absent: the cart is checked out',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CheckoutItemDto)
  items?: CheckoutItemDto[];
}
