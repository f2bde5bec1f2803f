import { CatalogLoaderQueries } from '../../application/catalog-loaders.js';
import { CategoryResolver } from './category.resolver.js';
import { ProductFieldsResolver } from './product-fields.resolver.js';
import { CatalogRequestLoaders } from './request-loaders.js';

/** What the catalog's GraphQL API needs besides CatalogResolver: field resolvers and loaders. */
export const CATALOG_GRAPHQL_PROVIDERS = [
  CatalogLoaderQueries,
  CatalogRequestLoaders,
  ProductFieldsResolver,
  CategoryResolver,
];
