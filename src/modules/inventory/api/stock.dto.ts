import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** Same shape as the catalog's SKUs. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class SkuParam {
  @Matches(SKU_PATTERN, { message: 'sku must be 1-64 letters, digits, ".", "_" or "-"' })
  sku: string;
}

export class SetStockDto {
  @ApiProperty({ minimum: 0, example: 100 })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  onHand: number;

  @ApiPropertyOptional({ description: 'Flash-sale mode: reservations pass a Redis gate first' })
  @IsOptional()
  @IsBoolean()
  hot?: boolean;
}

export class StockDto {
  @ApiProperty() sku: string;
  @ApiProperty() onHand: number;
  @ApiProperty() reserved: number;
  @ApiProperty() available: number;
  @ApiProperty() hot: boolean;
}
