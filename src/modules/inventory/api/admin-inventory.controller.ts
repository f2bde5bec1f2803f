import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Admin } from '../../../platform/auth/access.decorator.js';
import { StockAdminService } from '../application/stock-admin.service.js';
import { SetStockDto, SkuParam, StockDto } from './stock.dto.js';

/** Stock per SKU for admins (reads from the primary: an admin expects to see their write). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/inventory')
export class AdminInventoryController {
  constructor(private readonly stock: StockAdminService) {}

  @Put(':sku')
  @Admin()
  set(@Param() params: SkuParam, @Body() body: SetStockDto): Promise<StockDto> {
    return this.stock.set(params.sku, body.onHand, body.hot);
  }

  @Get(':sku')
  @Admin()
  get(@Param() params: SkuParam): Promise<StockDto> {
    return this.stock.get(params.sku);
  }
}
