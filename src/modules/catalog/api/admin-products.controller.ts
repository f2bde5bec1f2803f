import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Admin } from '../../../platform/auth/access.decorator.js';
import { ProductAdminService } from '../application/product-admin.service.js';
import { ProductReadService } from '../application/product-read.service.js';
import {
  CreateProductDto,
  ProductDto,
  UpdateProductDto,
  UpdateVariantDto,
  VariantInputDto,
} from './product.dto.js';

const uuid = () => new ParseUUIDPipe({ version: '4' });

/** Admin product and variant writes; reads here are of the normalised tables. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/products')
export class AdminProductsController {
  constructor(
    private readonly admin: ProductAdminService,
    private readonly reads: ProductReadService,
  ) {}

  @Post()
  @Admin()
  create(@Body() body: CreateProductDto): Promise<ProductDto> {
    return this.admin.create(body);
  }

  @Get(':id')
  @Admin()
  get(@Param('id', uuid()) id: string): Promise<ProductDto> {
    return this.reads.adminById(id);
  }

  @Patch(':id')
  @Admin()
  update(@Param('id', uuid()) id: string, @Body() body: UpdateProductDto): Promise<ProductDto> {
    return this.admin.update(id, body);
  }

  /** Archives (soft-deletes): gone from the shop, kept for orders that refer to it. */
  @Delete(':id')
  @Admin()
  archive(@Param('id', uuid()) id: string): Promise<ProductDto> {
    return this.admin.archive(id);
  }

  @Post(':id/variants')
  @Admin()
  addVariant(@Param('id', uuid()) id: string, @Body() body: VariantInputDto): Promise<ProductDto> {
    return this.admin.addVariant(id, body);
  }

  @Patch(':id/variants/:variantId')
  @Admin()
  updateVariant(
    @Param('id', uuid()) id: string,
    @Param('variantId', uuid()) variantId: string,
    @Body() body: UpdateVariantDto,
  ): Promise<ProductDto> {
    return this.admin.updateVariant(id, variantId, body);
  }

  @Delete(':id/variants/:variantId')
  @Admin()
  removeVariant(
    @Param('id', uuid()) id: string,
    @Param('variantId', uuid()) variantId: string,
  ): Promise<ProductDto> {
    return this.admin.removeVariant(id, variantId);
  }
}
