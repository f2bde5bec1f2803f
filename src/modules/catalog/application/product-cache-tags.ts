/** Tag of every cached page of the product list and of search results. */
export const PRODUCT_LIST_TAG = 'products:list';

/** Tag of the cached category tree. */
export const CATEGORY_TREE_TAG = 'categories:tree';

/** Tag of the cached detail responses of one product. */
export function productTag(id: string): string {
  return `product:${id}`;
}

/** What a change to some products makes stale: their details and every list page. */
export function productTags(ids: readonly string[]): string[] {
  return [...ids.map(productTag), PRODUCT_LIST_TAG];
}
