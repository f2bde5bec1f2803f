import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { IsOptional, Matches, MaxLength, validate, type ValidationError } from 'class-validator';
import type { RowCheck } from '../application/product-import.service.js';
import { SLUG_PATTERN } from '../domain/slug.js';
import { CreateProductDto } from './product.dto.js';

/** A row of a bulk import: a product as POST /admin/products takes it, or with a category slug. */
export class ImportRowDto extends CreateProductDto {
  @ApiPropertyOptional({ pattern: SLUG_PATTERN.source, description: 'Instead of categoryId' })
  @IsOptional()
  @Matches(SLUG_PATTERN)
  @MaxLength(100)
  categorySlug?: string;
}

export class ImportRejectionDto {
  @ApiProperty({ description: '1-based line in the body; for CSV the header is line 1' })
  line: number;

  @ApiProperty({ type: [String] })
  errors: string[];
}

export class ImportReportDto {
  @ApiProperty() imported: number;
  @ApiProperty({ type: [ImportRejectionDto] }) rejected: ImportRejectionDto[];
  @ApiProperty({ type: [String], description: 'Ids of the imported products, in body order' })
  productIds: string[];
}

/** The same rules as the global ValidationPipe applies to POST /admin/products. */
export const checkImportRow: RowCheck = async (fields) => {
  const row = plainToInstance(ImportRowDto, fields);
  const errors = await validate(row, { whitelist: true, forbidNonWhitelisted: true });
  return errors.length === 0 ? { ok: true, row } : { ok: false, errors: messagesOf(errors) };
};

/** Flattens nested errors the way Nest's ValidationPipe words them ("variants.0.priceMinor …"). */
function messagesOf(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const prefix = parent ? `${parent}.` : '';
    return [
      ...Object.values(e.constraints ?? {}).map((m) => prefix + m),
      ...messagesOf(e.children ?? [], prefix + e.property),
    ];
  });
}
