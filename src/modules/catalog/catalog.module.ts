import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminProductsController } from './api/admin-products.controller.js';
import { CatalogResolver } from './api/catalog.resolver.js';
import { ShopProductsController } from './api/shop-products.controller.js';
import { ProductAdminService } from './application/product-admin.service.js';
import { ProductDocumentProjector } from './application/product-document.projector.js';
import { ProductQueryService } from './application/product-query.service.js';
import { CATALOG_PORT } from './catalog.contract.js';
import { ProductDocumentEntity } from './infrastructure/product-document.entity.js';
import { ProductEntity } from './infrastructure/product.entity.js';

/** Tables the catalog maps; the migration CLI and the drift check load them. */
export const CATALOG_ENTITIES = [ProductEntity, ProductDocumentEntity];

/** Products: admin writes, shop reads, and the product documents the worker keeps fresh. */
@Module({})
export class CatalogModule {
  static forRoot(options: { api: boolean; worker: boolean }): DynamicModule {
    return {
      module: CatalogModule,
      imports: [TypeOrmModule.forFeature(CATALOG_ENTITIES)],
      controllers: options.api ? [ShopProductsController, AdminProductsController] : [],
      providers: [
        ProductQueryService,
        ProductAdminService,
        { provide: CATALOG_PORT, useExisting: ProductQueryService },
        ...(options.api ? [CatalogResolver] : []),
        ...(options.worker ? [ProductDocumentProjector] : []),
      ],
      exports: [CATALOG_PORT],
    };
  }
}
