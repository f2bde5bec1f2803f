import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminCategoriesController } from './api/admin-categories.controller.js';
import { AdminImportController } from './api/admin-import.controller.js';
import { AdminProductsController } from './api/admin-products.controller.js';
import { CatalogResolver } from './api/catalog.resolver.js';
import { CATALOG_GRAPHQL_PROVIDERS } from './api/graphql/catalog-graphql.providers.js';
import { ShopProductsController } from './api/shop-products.controller.js';
import { ShopSearchController } from './api/shop-search.controller.js';
import { CategoryAdminService } from './application/category-admin.service.js';
import { ProductAdminService } from './application/product-admin.service.js';
import { ProductDocumentProjector } from './application/product-document.projector.js';
import { ProductImportService } from './application/product-import.service.js';
import { ProductReadService } from './application/product-read.service.js';
import { ProductSearchService } from './application/product-search.service.js';
import { ShopQueryService } from './application/shop-query.service.js';
import { CATALOG_PORT } from './catalog.contract.js';
import { CategoryEntity } from './infrastructure/category.entity.js';
import { ProductDocumentEntity } from './infrastructure/product-document.entity.js';
import { ProductEntity } from './infrastructure/product.entity.js';
import { VariantEntity } from './infrastructure/variant.entity.js';

/** Tables the catalog maps; the migration CLI and the drift check load them. */
export const CATALOG_ENTITIES = [
  CategoryEntity,
  ProductEntity,
  VariantEntity,
  ProductDocumentEntity,
];

/** Products, variants, categories; the shop's product documents the worker keeps fresh. */
@Module({})
export class CatalogModule {
  static forRoot(options: { api: boolean; worker: boolean }): DynamicModule {
    return {
      module: CatalogModule,
      // Global: other contexts inject the exported port by its contract token, never this module.
      global: true,
      imports: [TypeOrmModule.forFeature(CATALOG_ENTITIES)],
      controllers: options.api
        ? [
            ShopProductsController,
            AdminProductsController,
            AdminCategoriesController,
            AdminImportController,
            ShopSearchController,
          ]
        : [],
      providers: [
        ShopQueryService,
        ProductReadService,
        ProductAdminService,
        CategoryAdminService,
        ProductImportService,
        ProductSearchService,
        { provide: CATALOG_PORT, useExisting: ProductReadService },
        ...(options.api ? [CatalogResolver] : []),
        ...(options.api ? CATALOG_GRAPHQL_PROVIDERS : []),
        ...(options.worker ? [ProductDocumentProjector] : []),
      ],
      exports: [CATALOG_PORT],
    };
  }
}
