/** Tag of every cached page of the product list. */
export const PRODUCT_LIST_TAG = 'products:list';

/** Tag of the cached detail responses of one product. */
export function productTag(id: string): string {
  return `product:${id}`;
}

/** What a change to one product makes stale: its detail and every list page. */
export function productTags(id: string): string[] {
  return [productTag(id), PRODUCT_LIST_TAG];
}
