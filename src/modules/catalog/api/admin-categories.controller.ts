import { Body, Controller, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Admin } from '../../../platform/auth/access.decorator.js';
import { CategoryAdminService } from '../application/category-admin.service.js';
import { CategoryDto, CreateCategoryDto, UpdateCategoryDto } from './category.dto.js';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/categories')
export class AdminCategoriesController {
  constructor(private readonly categories: CategoryAdminService) {}

  @Post()
  @Admin()
  create(@Body() body: CreateCategoryDto): Promise<CategoryDto> {
    return this.categories.create(body);
  }

  /** Rename, re-slug, re-order or move (parentId; null = root). Cycles are refused with 422. */
  @Patch(':id')
  @Admin()
  update(
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
    @Body() body: UpdateCategoryDto,
  ): Promise<CategoryDto> {
    return this.categories.update(id, body);
  }
}
