import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_LIMIT,
  MAX_SEARCH_TEXT_LENGTH,
} from '../application/search-query.js';
import { SLUG_PATTERN } from '../domain/slug.js';
import { ProductDto } from './product.dto.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SearchQueryDto {
  @ApiProperty({
    minLength: 1,
    maxLength: MAX_SEARCH_TEXT_LENGTH,
    description: 'Words to look for; "quotes" for a phrase, -word to exclude, `or` between words',
  })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_SEARCH_TEXT_LENGTH)
  q: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_SEARCH_LIMIT, default: DEFAULT_SEARCH_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SEARCH_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Category slug; includes its sub-categories' })
  @IsOptional()
  @Matches(SLUG_PATTERN)
  @MaxLength(100)
  category?: string;
}

export class SearchHighlightDto {
  @ApiProperty({ description: 'HTML-escaped name, matched words wrapped in <mark>' })
  name: string;

  @ApiProperty({ description: 'HTML-escaped excerpt of the description, matches in <mark>' })
  description: string;
}

export class SearchHitDto {
  @ApiProperty({ type: ProductDto }) product: ProductDto;

  @ApiProperty({ description: '0..1, comparable among hits with the same matchedBy' })
  rank: number;

  @ApiProperty({
    enum: ['fulltext', 'similarity'],
    description: 'similarity: found by the typo-tolerant fallback',
  })
  matchedBy: 'fulltext' | 'similarity';

  @ApiProperty({ type: SearchHighlightDto }) highlight: SearchHighlightDto;
}

export class SearchPageDto {
  @ApiProperty({ type: [SearchHitDto] }) items: SearchHitDto[];

  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
