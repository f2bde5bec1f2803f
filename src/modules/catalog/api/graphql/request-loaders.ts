import { Injectable } from '@nestjs/common';
import { CatalogLoaderQueries, type ProductVariant } from '../../application/catalog-loaders.js';
import type { CategoryView } from '../../application/category-admin.service.js';
import DataLoader from 'dataloader';

/**
 * The loaders of one GraphQL request. Nested fields of a page of products ask them one key at a
 * time and each loader answers all those keys with one statement, so the page costs the same
 * number of statements whatever its size.
 */
export class CatalogLoaders {
  readonly variantsByProductId: DataLoader<string, ProductVariant[]>;
  /** Loads the asked categories with all their ancestors and keeps the ancestors too, so
   *  `parent` and `path` of a loaded category are answered without another statement. */
  readonly categoryById: DataLoader<string, CategoryView | null>;
  readonly childrenByCategoryId: DataLoader<string, CategoryView[]>;

  constructor(private readonly queries: CatalogLoaderQueries) {
    this.variantsByProductId = new DataLoader(async (ids) => {
      const groups = await queries.variantsOf(ids);
      return ids.map((id) => groups.get(id) ?? []);
    });
    this.categoryById = new DataLoader(async (ids) => {
      const rows = await queries.categoriesWithAncestors(ids);
      this.primeCategories(rows);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    this.childrenByCategoryId = new DataLoader(async (ids) => {
      const groups = await queries.childrenOf(ids);
      for (const children of groups.values()) this.primeCategories(children);
      return ids.map((id) => groups.get(id) ?? []);
    });
  }

  /** The roots of the category tree, read whole in one statement: every node's children are
   *  known from it, so nested `children` cost nothing more. */
  async roots(): Promise<CategoryView[]> {
    const rows = await this.queries.allCategories();
    this.primeCategories(rows);
    const children = new Map<string, CategoryView[]>(rows.map((r) => [r.id, []]));
    const roots: CategoryView[] = [];
    for (const row of rows) {
      const siblings = row.parentId ? children.get(row.parentId) : roots;
      (siblings ?? roots).push(row);
    }
    for (const [id, list] of children) this.childrenByCategoryId.prime(id, list);
    return roots;
  }

  private primeCategories(rows: readonly CategoryView[]): void {
    for (const row of rows) this.categoryById.prime(row.id, row);
  }
}

/**
 * Hands out the loaders of the request in flight. Mercurius builds the GraphQL context in the
 * platform's GraphQL module, so instead of adding loaders there they are kept beside the request
 * object (the context's `req`) in a WeakMap: made on first use, collected with the request.
 * (A Nest REQUEST-scoped provider would do the same by re-creating the resolvers on every
 * request, which costs more and makes every field resolver of the chain request-scoped.)
 */
@Injectable()
export class CatalogRequestLoaders {
  private readonly byRequest = new WeakMap<object, CatalogLoaders>();

  constructor(private readonly queries: CatalogLoaderQueries) {}

  of(request: object): CatalogLoaders {
    let loaders = this.byRequest.get(request);
    if (!loaders) {
      loaders = new CatalogLoaders(this.queries);
      this.byRequest.set(request, loaders);
    }
    return loaders;
  }

  /** Drops what this request has loaded; after a write, later fields must read the new rows. */
  forget(request: object): void {
    this.byRequest.delete(request);
  }
}
