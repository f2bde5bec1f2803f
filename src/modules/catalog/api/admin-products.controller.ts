import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Admin } from '../../../platform/auth/access.decorator.js';
import { ProductAdminService } from '../application/product-admin.service.js';
import { ProductQueryService } from '../application/product-query.service.js';
import { CreateProductDto, ProductDto, UpdateProductDto } from './product.dto.js';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/products')
export class AdminProductsController {
  constructor(
    private readonly admin: ProductAdminService,
    private readonly queries: ProductQueryService,
  ) {}

  @Post()
  @Admin()
  create(@Body() body: CreateProductDto): Promise<ProductDto> {
    return this.admin.create(body);
  }

  @Patch(':id')
  @Admin()
  update(
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
    @Body() body: UpdateProductDto,
  ): Promise<ProductDto> {
    return this.admin.update(id, body);
  }

  @Get(':id')
  @Admin()
  get(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string): Promise<ProductDto> {
    return this.queries.adminById(id);
  }
}
