import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { OrderStatus } from '../ordering.contract.js';

const STATUSES: OrderStatus[] = ['pending_payment', 'paid', 'fulfilled', 'cancelled', 'expired'];

/** Page of a customer's orders; limit is clamped to 1..100 rather than refused. */
export class OrdersQueryDto {
  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class AdminOrdersQueryDto extends OrdersQueryDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @ApiPropertyOptional({ description: 'Inclusive, ISO 8601' })
  @IsOptional()
  @IsISO8601({ strict: true })
  placedFrom?: string;

  @ApiPropertyOptional({ description: 'Exclusive, ISO 8601' })
  @IsOptional()
  @IsISO8601({ strict: true })
  placedTo?: string;
}
